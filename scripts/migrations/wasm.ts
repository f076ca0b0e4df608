/**
 * Loads Prisma's Wasm schema engine. The engine arms timers that would keep Node alive for up to 60 s; they are
 * unref'd once an operation is over (CLI callers should still `process.exit()` explicitly).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type WasmModule = typeof import("@prisma/schema-engine-wasm");

let wasmModule: Promise<WasmModule> | undefined;
/** Timers the engine armed; unref'd when an operation ends so they cannot keep the process alive. */
const engineTimers = new Set<ReturnType<typeof setTimeout>>();

export function loadWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    // The package's entry imports the .wasm file as an ES module, which Node 20 cannot do: instantiate it
    // by hand from its wasm-bindgen glue.
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as Record<string, unknown>;
    const imports: Record<string, unknown> = { ...glue };
    for (const key of Object.keys(glue)) {
      if (key.startsWith("__wbg_setTimeout_")) {
        imports[key] = (fn: () => void, ms: number) => {
          const t = setTimeout(() => {
            engineTimers.delete(t);
            fn();
          }, ms >>> 0);
          engineTimers.add(t);
          return t;
        };
      }
    }
    const bytes = readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": imports,
    } as WebAssembly.Imports);
    (glue.__wbg_set_wasm as (w: unknown) => void)(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue as unknown as WasmModule;
  })();
  return wasmModule;
}

export function releaseEngineTimers(): void {
  for (const t of engineTimers) t.unref?.();
}
