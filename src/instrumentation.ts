/** Next.js start-up hook: refuses an unsafe production configuration, then starts the workers. */
export async function register(): Promise<void> {
  // NEXT_RUNTIME and NEXT_PHASE are set by Next itself (not configuration): the checks and the workers
  // need Node, not the edge runtime, and belong to a serving process, not to `next build` (which also
  // runs with NODE_ENV=production).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { env, productionProblems } = await import("./env");
  const problems = productionProblems(env);
  if (problems.length > 0) {
    console.error(`[env] refusing to start in production:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  if (env.NODE_ENV === "production" && !env.cookieSecure) {
    console.warn("[env] COOKIE_SECURE=off: the session cookie is not Secure and travels over plain http (demo only)");
  }
  const [{ startRecoveryWorker }, { defaultServices }, { startJobWorker }] = await Promise.all([
    import("./server/recovery-worker"),
    import("./server/services"),
    import("./server/jobs/worker"),
  ]);
  const services = defaultServices();
  startRecoveryWorker(services);
  startJobWorker(services.db, { faultsEnabled: services.faultsEnabled });
}
