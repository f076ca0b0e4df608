/** Next.js start-up hook: the recovery worker and the job worker run inside every server instance. */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself (not configuration): the worker needs Node, not the edge runtime.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ startRecoveryWorker }, { defaultServices }, { startJobWorker }] = await Promise.all([
    import("./server/recovery-worker"),
    import("./server/services"),
    import("./server/jobs/worker"),
  ]);
  const services = defaultServices();
  startRecoveryWorker(services);
  startJobWorker(services.db, { faultsEnabled: services.faultsEnabled });
}
