/**
 * The browser's sleep for retries: waits the backoff, then, if the browser knows it is offline, waits
 * for the connection to come back, so attempts are not burnt while nothing can possibly get through.
 */
export async function sleepUntilOnline(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  if (typeof navigator === "undefined" || navigator.onLine) return;
  await new Promise<void>((resolve) => window.addEventListener("online", () => resolve(), { once: true }));
}
