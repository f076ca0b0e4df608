import { TRPCClientError } from "@trpc/client";

/** A tRPC client error as httpLink builds it from a server answer (for tests). */
export function serverError(status: number, reason: string, extra: Record<string, unknown> = {}, retryAfter?: string) {
  const headers: Record<string, string> = retryAfter ? { "retry-after": retryAfter } : {};
  return TRPCClientError.from(
    { error: { code: -32600, message: `${status} ${reason}`, data: { httpStatus: status, reason, ...extra } } },
    { meta: { response: new Response(null, { status, headers }) } },
  );
}

/** What fetch throws when the connection drops or the browser is offline. */
export const networkError = () => TRPCClientError.from(new TypeError("Failed to fetch"));
