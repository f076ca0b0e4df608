import Link from "next/link";
import { panel, primaryButton } from "./ui";

export function SignInPrompt({ what }: { what: string }) {
  return (
    <div className={`${panel} max-w-md`}>
      <p className="text-slate-700">Sign in to {what}.</p>
      <Link href="/signin" className={`${primaryButton} mt-4`}>
        Sign in
      </Link>
    </div>
  );
}
