import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Tour } from "@/components/tour/tour";
import { env } from "@/env";

export const metadata: Metadata = { title: "Guided tour" };
export const dynamic = "force-dynamic";

/** The tour injects faults, so it exists only where demo faults are on. */
export default function TryPage() {
  if (env.DEMO_FAULTS !== "on") notFound();
  return <Tour />;
}
