import { randomUUID } from "node:crypto";
import { createDb, type DbOptions } from "@/server/db";
import { createServices, type ServiceOptions, type Services } from "@/server/services";
import { APPROVED_CARD, OPERATIONS } from "@/shared/names";
import { call, signIn, signInWithId, uniqueName } from "./http-client";
import { type RunningServer, startHttpServer } from "./http-server";
import { createTestDatabase, type Provider, type TestDatabase } from "./test-db";

export type Harness = TestDatabase & {
  services: Services;
  server: RunningServer;
  url: string;
  /** The database's own URL (`url` is the server's). */
  databaseUrl: string;
  close: () => Promise<void>;
  /** A new shopper with a session cookie. */
  shopper: (prefix?: string) => Promise<string>;
  shopperWithId: (prefix?: string) => Promise<{ cookie: string; userId: string }>;
};

/**
 * A fresh database, the app's services over it, and the tRPC handler on a real loopback HTTP port.
 * With `appDb`, the app gets its own database client with those options (e.g. short lock timeouts);
 * the test keeps `db` for its own reads and writes.
 */
export async function startHarness(
  provider: Provider,
  options: Omit<ServiceOptions, "db"> = {},
  appDb?: DbOptions,
): Promise<Harness> {
  const t = await createTestDatabase(provider);
  const db = appDb ? createDb(t.url, appDb) : t.db;
  const services = createServices({ db, faultsEnabled: true, adminPassword: "test-admin", ...options });
  const server = await startHttpServer(services);
  return {
    ...t,
    services,
    server,
    url: server.url,
    databaseUrl: t.url,
    close: async () => {
      await server.close();
      await services.events.flush();
      if (db !== t.db) await db.$disconnect();
      await t.drop();
    },
    shopper: (prefix = "shopper") => signIn(server.url, uniqueName(prefix)),
    shopperWithId: (prefix = "shopper") => signInWithId(server.url, uniqueName(prefix)),
  };
}

export const order = (items: { productId: string; quantity: number }[], token: string = APPROVED_CARD) => ({
  items,
  payment: { token },
});

/** POST checkout.placeOrder with a key in the input (and optional extra headers). */
export const placeOrder = (
  h: { url: string },
  cookie: string,
  key: string | undefined,
  body: object = order([{ productId: "ceramic-mug", quantity: 1 }]),
  headers: Record<string, string> = {},
) =>
  call(
    h.url,
    OPERATIONS.placeOrder,
    { ...(key === undefined ? {} : { idempotencyKey: key }), ...body },
    { cookie, headers },
  );

export const newKey = () => randomUUID();

/** Row counts of every table a checkout writes, to assert that a refused request wrote nothing. */
export async function rowCounts(h: { db: TestDatabase["db"] }) {
  const [records, orders, orderItems, payments, charges, stock] = await Promise.all([
    h.db.idempotencyRecord.count(),
    h.db.order.count(),
    h.db.orderItem.count(),
    h.db.payment.count(),
    h.db.providerCharge.count(),
    h.db.product.aggregate({ _sum: { stock: true } }),
  ]);
  return { records, orders, orderItems, payments, charges, stock: stock._sum.stock };
}
