import { readSession, type Session } from "@/server/auth/session";
import { defaultServices, type Services } from "@/server/services";

/**
 * Per-request context. Services (database, provider, engine settings) are injected so tests run the
 * same routers against their own databases; the response fields let procedures set status and headers.
 */
export type Context = Services & {
  session: Session | null;
  headers: Headers;
  resHeaders: Headers;
  /** Status for a successful non-batched call (201 first execution, 200 replay); errors map by code. */
  response: { status: number | null };
  /** The call is one of several in a tRPC batch (one HTTP response for all of them). */
  batched: boolean;
};

export async function createContext(opts: {
  headers: Headers;
  resHeaders: Headers;
  services?: Services;
  batched?: boolean;
}): Promise<Context> {
  return {
    ...(opts.services ?? defaultServices()),
    session: await readSession(opts.headers.get("cookie")),
    headers: opts.headers,
    resHeaders: opts.resHeaders,
    response: { status: null },
    batched: opts.batched ?? false,
  };
}
