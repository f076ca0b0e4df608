import { env, productionProblems } from "@/env";

/**
 * What a server process does before it serves: refuse an unsafe production configuration (exit 1, each
 * problem named with how to fix it), say so when the cookie's Secure flag is turned off, then start the
 * recovery worker and the job worker, and drain the request events on shutdown.
 */
export async function startServer(): Promise<void> {
  const problems = productionProblems(env);
  if (problems.length > 0) {
    console.error(`[env] refusing to start in production:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  if (env.NODE_ENV === "production" && !env.cookieSecure) {
    console.warn("[env] COOKIE_SECURE=off: the session cookie is not Secure and travels over plain http (demo only)");
  }
  const [{ startRecoveryWorker }, { defaultServices }, { startJobWorker }] = await Promise.all([
    import("./recovery-worker"),
    import("./services"),
    import("./jobs/worker"),
  ]);
  const services = defaultServices();
  // Shutdown: the queued request events are written at once, and any later one as it comes (Next closes the
  // server, letting requests in flight finish, before it exits). Only a kill -9 loses the last EVENT_FLUSH_MS.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => void services.events.drain());
  }
  startRecoveryWorker(services);
  startJobWorker(services.db, { hooks: services.jobHooks });
}
