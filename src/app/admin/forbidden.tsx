import { headers } from "next/headers";
import { AdminForbidden } from "@/components/admin/forbidden";
import { readSession } from "@/server/auth/session";

/** Rendered with HTTP 403 when page.tsx calls forbidden(): a shopper reached /admin. */
export default async function Forbidden() {
  const session = await readSession((await headers()).get("cookie"));
  return <AdminForbidden name={session?.name ?? "a shopper"} />;
}
