/** Plain HTTP calls to tRPC procedures, the way a non-browser client would make them (no batching). */
export type CallResult = {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
  data: any;
  // biome-ignore lint/suspicious/noExplicitAny: idem
  error: any;
};

export type CallOptions = { cookie?: string; headers?: Record<string, string>; rawBody?: string };

export async function call(
  baseUrl: string,
  path: string,
  input: unknown,
  options: CallOptions = {},
): Promise<CallResult> {
  const res = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: options.rawBody ?? JSON.stringify(input),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  return { status: res.status, headers: res.headers, data: json?.result?.data, error: json?.error };
}

export async function query(
  baseUrl: string,
  path: string,
  input: unknown,
  options: CallOptions = {},
): Promise<CallResult> {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${baseUrl}/api/trpc/${path}${qs}`, {
    headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
  });
  const json = await res.json();
  return { status: res.status, headers: res.headers, data: json?.result?.data, error: json?.error };
}

/** Signs in and returns the session cookie to send with later calls. */
export async function signIn(baseUrl: string, name: string, adminPassword?: string): Promise<string> {
  return (await signInWithId(baseUrl, name, adminPassword)).cookie;
}

export async function signInWithId(
  baseUrl: string,
  name: string,
  adminPassword?: string,
): Promise<{ cookie: string; userId: string }> {
  const res = await fetch(`${baseUrl}/api/trpc/session.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, ...(adminPassword ? { adminPassword } : {}) }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie()[0];
  if (!cookie) throw new Error("sign-in set no cookie");
  const body = (await res.json()) as { result: { data: { userId: string } } };
  return { cookie: cookie.split(";")[0] ?? "", userId: body.result.data.userId };
}

export const uniqueName = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
