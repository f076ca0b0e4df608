import { AsyncLocalStorage } from "node:async_hooks";
import type { Fault } from "./faults";

/**
 * The X-Fault of the request being served, visible to the demo's hooks and provider wrapper without
 * threading it through the engine. Outside a request (the recovery worker) there is none.
 */
const cache: typeof globalThis & { __demoFaultScope?: AsyncLocalStorage<Fault | null> } = globalThis;
const scope = (): AsyncLocalStorage<Fault | null> => {
  // Next bundles route handlers and the start-up hook separately; one scope per process serves both.
  cache.__demoFaultScope ??= new AsyncLocalStorage<Fault | null>();
  return cache.__demoFaultScope;
};

export const withFault = <T>(fault: Fault | null, work: () => Promise<T>): Promise<T> => scope().run(fault, work);

export const currentFault = (): Fault | null => scope().getStore() ?? null;
