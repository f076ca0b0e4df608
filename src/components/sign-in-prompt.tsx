"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signInHref } from "@/client/return-to";
import { panel, primaryButton } from "./ui";

/** Asks a signed-out visitor to sign in, and brings them back to this page afterwards. */
export function SignInPrompt({ what }: { what: string }) {
  const pathname = usePathname();
  return (
    <div className={`${panel} max-w-md`}>
      <p className="text-slate-700">Sign in to {what}.</p>
      <Link href={signInHref(pathname)} className={`${primaryButton} mt-4`}>
        Sign in
      </Link>
    </div>
  );
}
