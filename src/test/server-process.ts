/**
 * A separate app server process for multi-instance tests: the app's tRPC handler over HTTP on PORT,
 * against DATABASE_URL, with the recovery worker running. Prints "listening <url>" when ready.
 */
import { env } from "@/env";
import { createDb } from "@/server/db";
import { startRecoveryWorker } from "@/server/recovery-worker";
import { createServices } from "@/server/services";
import { startHttpServer } from "./http-server";

const services = createServices({ db: createDb(env.DATABASE_URL), faultsEnabled: true, adminPassword: "test-admin" });
const server = await startHttpServer(services, env.PORT);
startRecoveryWorker(services);
console.log(`listening ${server.url}`);
