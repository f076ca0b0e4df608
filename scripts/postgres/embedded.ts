/**
 * Starts a throwaway PostgreSQL server from npm packages in a child process (./embedded-server.ts) and
 * returns its URL. stop() ends it and waits until the server is down and its data directory is gone. Callers
 * must stop it; if they never get that far (crash, Ctrl-C, SIGKILL) the child sees its stdin close and cleans
 * up alone.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";

export type EmbeddedPostgres = {
  url: string;
  version: string;
  startupMs: number;
  dataDir: string;
  stop: () => Promise<void>;
};

const Ready = z.object({
  url: z.string(),
  version: z.string(),
  startupMs: z.number(),
  dataDir: z.string(),
});

const entry = path.resolve(import.meta.dirname, "embedded-server.ts");

export function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    // Its own process group: a Ctrl-C reaches the caller only, and the caller's exit is what stops the server.
    detached: true,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.stdin.end();
    await exited;
  };
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      lines.close();
      try {
        resolve({ ...Ready.parse(JSON.parse(line)), stop });
      } catch (error) {
        void stop().then(() =>
          reject(new Error(`embedded PostgreSQL said something unexpected: ${line}`, { cause: error })),
        );
      }
    });
    child.once("exit", (code) => reject(new Error(`embedded PostgreSQL did not start (exit ${code})`)));
  });
}
