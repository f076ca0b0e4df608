import type { Metadata } from "next";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { signInHref } from "@/client/return-to";
import { AdminDashboard } from "@/components/admin/dashboard";
import { JobsPanel } from "@/components/admin/jobs-panel";
import { readSession } from "@/server/auth/session";

export const metadata: Metadata = { title: "Admin dashboard" };
export const dynamic = "force-dynamic";

/**
 * Access is decided on the server from the sealed session cookie: no session → sign-in page, a shopper →
 * forbidden(), which answers HTTP 403 with the friendly page in ./forbidden.tsx. The data itself comes
 * through admin.* procedures, which enforce the same rule.
 */
export default async function AdminPage() {
  const session = await readSession((await headers()).get("cookie"));
  if (!session) redirect(signInHref("/admin"));
  if (!session.isAdmin) forbidden();
  return (
    <div className="space-y-4">
      <AdminDashboard />
      <JobsPanel />
    </div>
  );
}
