/**
 * Which PostgreSQL server tests, benchmarks and the chaos run create their throwaway databases on:
 * TEST_POSTGRES=embedded forces a new embedded server; else TEST_POSTGRES_URL when set (used as given, never
 * replaced); else the default URL when a server answers there; else an embedded server.
 */
import pg from "pg";
import { DEFAULT_TEST_POSTGRES_URL, env } from "@/env";
import { redactUrl } from "../migrations/paths";
import { startEmbeddedPostgres } from "./embedded";

export type TestPostgres = {
  url: string;
  /** One line for the run's output: which server, and why. */
  description: string;
  embedded: boolean;
  /** The embedded server's temporary data directory (removed by stop()). */
  dataDir?: string;
  stop: () => Promise<void>;
};

export type Choice = { mode: "auto" | "embedded"; configuredUrl?: string; defaultUrl: string };

/** The server of this run: set by the run's global setup or wrapper (see acquireTestPostgres). */
export const testPostgresUrl = (): string => env.TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;

const fromEnv = (): Choice => ({
  mode: env.TEST_POSTGRES,
  configuredUrl: env.TEST_POSTGRES_URL,
  defaultUrl: DEFAULT_TEST_POSTGRES_URL,
});

/** Why a server cannot be used, or null when it answers a query. */
export async function probe(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function embedded(reason: string): Promise<TestPostgres> {
  const server = await startEmbeddedPostgres();
  const where = new URL(server.url).host;
  return {
    url: server.url,
    description: `embedded PostgreSQL ${server.version} on ${where}, started in ${server.startupMs} ms (${reason})`,
    embedded: true,
    dataDir: server.dataDir,
    stop: server.stop,
  };
}

const external = (url: string, reason: string): TestPostgres => ({
  url,
  description: `PostgreSQL at ${redactUrl(url)} (${reason})`,
  embedded: false,
  stop: async () => {},
});

export async function acquireTestPostgres(choice: Choice = fromEnv()): Promise<TestPostgres> {
  if (choice.mode === "embedded") return embedded("TEST_POSTGRES=embedded");
  if (choice.configuredUrl) return external(choice.configuredUrl, "TEST_POSTGRES_URL");
  const problem = await probe(choice.defaultUrl);
  if (problem === null) return external(choice.defaultUrl, "answering at the default URL");
  return embedded(`nothing usable at ${redactUrl(choice.defaultUrl)}: ${problem}`);
}
