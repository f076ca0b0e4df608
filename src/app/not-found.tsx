import type { Metadata } from "next";
import Link from "next/link";
import { panel, primaryButton } from "@/components/ui";

export const metadata: Metadata = { title: "Page not found" };

/** Any unknown URL: rendered inside the root layout, so the site header (and its links) stays on the page. */
export default function NotFound() {
  return (
    <div className={`${panel} mx-auto max-w-lg`} data-testid="not-found">
      <p className="text-sm font-semibold text-slate-500">404 · Not found</p>
      <h1 className="mt-1 text-2xl font-bold tracking-tight">There is no page at this address</h1>
      <p className="mt-2 text-sm text-slate-700">The link may be mistyped or out of date.</p>
      <Link href="/" className={`${primaryButton} mt-4`}>
        Back to the shop
      </Link>
    </div>
  );
}
