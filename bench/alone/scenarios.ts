/**
 * The five scenarios, each measured alone: what one request of it is, and which answer counts as expected.
 * Requests rotate over the subject's shoppers and over distinct one-line carts, so concurrent first
 * executions never look like twins of one intent.
 */
import { randomUUID } from "node:crypto";
import type { Request } from "autocannon";
import { APPROVED_CARD, HEADERS, OPERATIONS } from "../../src/shared/names";
import { cartAt } from "../lib/storm";
import type { Subject } from "./subject";

export const SCENARIO_NAMES = ["floor", "read", "replay", "first", "unsafe"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const SCENARIO_LABELS: Record<ScenarioName, string> = {
  floor: "session.me (framework floor)",
  read: "orders.get (plain read)",
  replay: "replay (completed key)",
  first: "first execution (fresh key)",
  unsafe: "unsafe baseline (no key)",
};

type Headers = Record<string, string | string[] | undefined>;

export type Scenario = {
  name: ScenarioName;
  /** A fresh autocannon request whose setupRequest picks the next shopper / key / cart. */
  request(subject: Subject): Request;
  /** What an answer must be for the request to count as expected. */
  expected: string;
  isExpected(status: number, body: string, headers: Headers): boolean;
};

const REPLAYED = HEADERS.replayed.toLowerCase();
const replayedOf = (headers: Headers) => {
  const value = headers[REPLAYED] ?? headers[HEADERS.replayed];
  return (Array.isArray(value) ? value[0] : value) === "true";
};

/** A request built per call by `next(i)` from a counter shared by all connections of one load. */
const rotating = (next: (i: number) => Pick<Request, "method" | "path" | "headers" | "body">): Request => {
  let i = 0;
  return { setupRequest: (request) => ({ ...request, ...next(i++) }) };
};

const post = (path: string, cookie: string, body: unknown) => ({
  method: "POST" as const,
  path,
  headers: { cookie, "content-type": "application/json" },
  body: JSON.stringify(body),
});

const at = <T>(items: readonly T[], i: number): T => {
  const item = items[i % items.length];
  if (item === undefined) throw new Error("a scenario needs at least one shopper and one completed key");
  return item;
};

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  floor: {
    name: "floor",
    request: (s) =>
      rotating((i) => ({ method: "GET", path: "/api/trpc/session.me", headers: { cookie: at(s.cookies, i) } })),
    expected: "200 with the shopper's session",
    isExpected: (status, body) => status === 200 && body.includes('"userId"'),
  },
  read: {
    name: "read",
    request: (s) =>
      rotating((i) => {
        const done = at(s.completed, i);
        const input = encodeURIComponent(JSON.stringify({ id: done.orderId }));
        return { method: "GET", path: `/api/trpc/orders.get?input=${input}`, headers: { cookie: done.cookie } };
      }),
    expected: "200 with the order",
    isExpected: (status, body) => status === 200 && body.includes('"id"'),
  },
  replay: {
    name: "replay",
    request: (s) =>
      rotating((i) => {
        const done = at(s.completed, i);
        return post(`/api/trpc/${OPERATIONS.placeOrder}`, done.cookie, done.body);
      }),
    expected: "200 + Idempotent-Replayed: true",
    isExpected: (status, _body, headers) => status === 200 && replayedOf(headers),
  },
  first: {
    name: "first",
    request: (s) =>
      rotating((i) =>
        post(`/api/trpc/${OPERATIONS.placeOrder}`, at(s.cookies, i), {
          idempotencyKey: randomUUID(),
          items: cartAt(i),
          payment: { token: APPROVED_CARD },
        }),
      ),
    expected: "201, not replayed",
    isExpected: (status, _body, headers) => status === 201 && !replayedOf(headers),
  },
  unsafe: {
    name: "unsafe",
    request: (s) =>
      rotating((i) =>
        post(`/api/trpc/${OPERATIONS.placeOrderUnsafe}`, at(s.cookies, i), {
          items: cartAt(i),
          payment: { token: APPROVED_CARD },
        }),
      ),
    expected: "201",
    isExpected: (status) => status === 201,
  },
};
