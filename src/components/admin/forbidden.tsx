import Link from "next/link";
import { signInHref } from "@/client/return-to";

/** What a signed-in shopper sees at /admin: a plain explanation, not an error screen. */
export function AdminForbidden({ name }: { name: string }) {
  return (
    <div className="mx-auto max-w-lg rounded-xl border border-amber-200 bg-amber-50 p-6" data-testid="admin-forbidden">
      <p className="text-sm font-semibold text-amber-700">403 · Admins only</p>
      <h1 className="mt-1 text-2xl font-bold tracking-tight">This dashboard is for admins</h1>
      <p className="mt-2 text-sm text-slate-700">
        You are signed in as <strong>{name}</strong>, a shopper. Sign in again with the admin password to see the
        duplicate and retry statistics.
      </p>
      <div className="mt-4 flex gap-3 text-sm">
        <Link href="/" className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700">
          Back to the shop
        </Link>
        <Link href={signInHref("/admin")} className="rounded-md px-3 py-1.5 text-indigo-700 hover:bg-indigo-100">
          Sign in as admin
        </Link>
      </div>
    </div>
  );
}
