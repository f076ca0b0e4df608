import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { HEADERS } from "../../src/shared/names";

/** One app instance as the load generator sees it: a keep-alive connection pool to its origin. */
export type Target = { name: string; origin: string; pool: Pool };

export const createTarget = (name: string, origin: string, connections: number): Target => ({
  name,
  origin,
  pool: new Pool(origin, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 }),
});

export type Answer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or null when the body was not JSON. */
  json: unknown;
  ms: number;
};

type SendOptions = { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: unknown };

/** One HTTP exchange through undici's pool. Network failures (refused, reset, killed server) throw. */
export async function send(target: Target, options: SendOptions): Promise<Answer> {
  const started = performance.now();
  const res = await target.pool.request({
    method: options.method,
    path: options.path,
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.body.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.statusCode, headers: res.headers, json, ms: performance.now() - started };
}

const header = (answer: Answer, name: string): string | undefined => {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `result.data` of a tRPC answer, if it is an object. */
export const dataOf = (answer: Answer): Record<string, unknown> | null => {
  const result = field(answer.json, "result");
  const data = field(result, "data");
  return isRecord(data) ? data : null;
};

/** `error.data.reason` of a tRPC error answer. */
export const reasonOf = (answer: Answer): string | null => {
  const reason = field(field(field(answer.json, "error"), "data"), "reason");
  return typeof reason === "string" ? reason : null;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const field = (v: unknown, name: string): unknown => (isRecord(v) ? v[name] : undefined);

export const isReplay = (answer: Answer): boolean => header(answer, HEADERS.replayed.toLowerCase()) === "true";

/** Signs in (retrying network errors while an instance starts) and returns the session cookie. */
export async function signIn(target: Target, name: string, adminPassword?: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await send(target, {
        method: "POST",
        path: "/api/trpc/session.signIn",
        body: { name, ...(adminPassword ? { adminPassword } : {}) },
      });
      const cookie = answer.headers["set-cookie"];
      const first = Array.isArray(cookie) ? cookie[0] : cookie;
      if (answer.status === 200 && first) return first.split(";")[0] ?? "";
      if (answer.status < 500 || attempt >= 10) throw new Error(`sign-in ${name}: HTTP ${answer.status}`);
    } catch (error) {
      if (attempt >= 10 || (error instanceof Error && error.message.startsWith("sign-in"))) throw error;
    }
    await sleep(200 * attempt);
  }
}

/** GET of a tRPC query with an optional input. */
export const query = (target: Target, procedure: string, cookie: string, input?: unknown): Promise<Answer> =>
  send(target, {
    method: "GET",
    path: `/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
    headers: { cookie },
  });

type AuditInvariant = { name: string; violations: number; ids: string[] };
export type Audit = { ok: boolean; invariants: AuditInvariant[] };

/** admin.audit over HTTP as an admin, the way an operator would check the invariants. */
export async function fetchAudit(target: Target, adminCookie: string): Promise<Audit> {
  const answer = await query(target, "admin.audit", adminCookie);
  const data = dataOf(answer);
  if (answer.status !== 200 || !data || typeof data.ok !== "boolean" || !Array.isArray(data.invariants)) {
    throw new Error(`admin.audit: HTTP ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
  }
  const invariants: AuditInvariant[] = data.invariants.filter(isRecord).map((i) => ({
    name: String(i.name),
    violations: Number(i.violations),
    ids: Array.isArray(i.ids) ? i.ids.map(String) : [],
  }));
  return { ok: data.ok, invariants };
}
