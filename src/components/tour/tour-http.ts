/**
 * What a shopper's browser sends, without the app's client library in between: plain fetch to the tRPC HTTP
 * endpoint with the idempotency key in the body and the demo's X-Fault / X-Retry-Attempt headers. The tour
 * uses it so each scenario shows the server's behaviour, not the client's own defences.
 */
export type Sent = { status: number; replayed: boolean; reason: string | null; orderId: string | null };

type TrpcBody = {
  result?: { data?: { orderId?: unknown } };
  error?: { data?: { reason?: unknown; details?: { orderId?: unknown } } };
};

export async function post(path: string, input: unknown, headers: Record<string, string> = {}): Promise<Sent> {
  const res = await fetch(`/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(input),
  });
  const body = (await res.json().catch(() => ({}))) as TrpcBody;
  const orderId = body.result?.data?.orderId;
  const reason = body.error?.data?.reason;
  return {
    status: res.status,
    replayed: res.headers.get("Idempotent-Replayed") === "true",
    reason: typeof reason === "string" ? reason : null,
    orderId: typeof orderId === "string" ? orderId : null,
  };
}

export async function get<T>(path: string, input?: unknown): Promise<T> {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`/api/trpc/${path}${qs}`);
  const body = (await res.json()) as { result?: { data?: T }; error?: { message?: string } };
  if (!res.ok || body.result?.data === undefined) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body.result.data;
}
