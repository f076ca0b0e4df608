/** Next.js start-up hook: a serving Node process checks its configuration, then starts the workers. */
export async function register(): Promise<void> {
  // NEXT_RUNTIME and NEXT_PHASE are set by Next itself (not configuration): the checks and the workers
  // need Node, not the edge runtime, and belong to a serving process, not to `next build` (which also
  // runs with NODE_ENV=production). The Node-only code sits in its own module so the edge bundle omits it.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startServer } = await import("./server/start-server");
  await startServer();
}
