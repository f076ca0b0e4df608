import type { Metadata } from "next";
import { safeReturnPath } from "@/client/return-to";
import { SignInForm } from "@/components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold tracking-tight">Sign in</h1>
      <p className="mb-6 text-sm text-slate-600">
        Pick any shopper name for the demo. Add the admin password to see the dashboard.
      </p>
      <SignInForm next={safeReturnPath(next)} />
    </div>
  );
}
