import { isTRPCClientError } from "@trpc/client";
import type { Failure } from "./retry-policy";
import { parseRetryAfter } from "./retry-policy";

/** The HTTP response behind a tRPC client error (httpLink puts it in meta.response), if there was one. */
function responseOf(error: unknown): Response | null {
  if (!isTRPCClientError(error)) return null;
  const response = error.meta?.response;
  return response instanceof Response ? response : null;
}

/** A field of the error's data (reason, orderId, ...), as sent by the server's error formatter. */
export function errorField(error: unknown, field: string): string | number | null {
  if (!isTRPCClientError(error)) return null;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null || !(field in data)) return null;
  const value: unknown = Reflect.get(data, field);
  return typeof value === "string" || typeof value === "number" ? value : null;
}

/**
 * How a failed tRPC call looked on the wire. No status at all means the request never got an answer
 * (offline, connection reset, aborted response): a network failure.
 */
export function failureOf(error: unknown): Failure {
  const response = responseOf(error);
  const dataStatus = errorField(error, "httpStatus");
  const status = typeof dataStatus === "number" ? dataStatus : (response?.status ?? null);
  if (status === null) return { kind: "network" };
  const reason = errorField(error, "reason");
  const header = parseRetryAfter(response?.headers.get("retry-after") ?? null);
  const retryAfterMs = errorField(error, "retryAfterMs");
  const retryAfterSeconds =
    header ?? (typeof retryAfterMs === "number" ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : null);
  return { kind: "http", status, reason: typeof reason === "string" ? reason : null, retryAfterSeconds };
}
