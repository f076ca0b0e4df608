import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export type WorkerProcess = {
  child: ChildProcess;
  /** Resolves once the worker has started polling. */
  ready: Promise<void>;
  /** Resolves with the exit signal (or code) once the process has ended. */
  exited: Promise<string>;
  stop: () => Promise<void>;
};

const entry = path.resolve(import.meta.dirname, "../../scripts/worker.ts");

/** Starts `npm run worker` (scripts/worker.ts) as its own Node process against the given database. */
export function spawnWorker(databaseUrl: string, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: databaseUrl, MODEL_LATENCY_MS: "20" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? `exit ${code}\n${output}`)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (/ ready\b/.test(output)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    void exited.then((how) => reject(new Error(`worker ended before it was ready: ${how}`)));
  });
  ready.catch(() => {}); // a worker killed on purpose before it printed ready is not an error by itself
  return {
    child,
    ready,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
