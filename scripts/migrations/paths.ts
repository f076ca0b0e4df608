/** Where a provider's schema and migrations live, and how database URLs are read. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "../../src/env";

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];

/**
 * Where prisma/ lives: the repository this file belongs to (MIGRATE_PROJECT_ROOT overrides it, e.g. to check a
 * copy of the schemas). Relative SQLite `file:` URLs resolve against process.cwd() instead, like every other
 * tool that reads DATABASE_URL (npm scripts, Vitest and Playwright run from the project root).
 */
export function projectRoot(): string {
  return env.MIGRATE_PROJECT_ROOT
    ? path.resolve(env.MIGRATE_PROJECT_ROOT)
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}

export function databaseUrlFromEnv(): string {
  return env.DATABASE_URL;
}

export function providerForUrl(url: string): Provider {
  return /^postgres(?:ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

export interface ProviderPaths {
  provider: Provider;
  schemaPath: string;
  migrationsDir: string;
}

export function providerPaths(provider: Provider, root: string = projectRoot()): ProviderPaths {
  const dir = provider === "postgresql" ? path.join(root, "prisma", "postgresql") : path.join(root, "prisma");
  return {
    provider,
    schemaPath: path.join(dir, "schema.prisma"),
    migrationsDir: path.join(dir, "migrations"),
  };
}

/** Absolute path of a SQLite `file:` URL (relative paths resolve against the project root). */
export function sqliteFilePath(url: string): string {
  let p = url.replace(/^file:/i, "");
  const q = p.indexOf("?");
  if (q >= 0) p = p.slice(0, q);
  if (p.startsWith("//")) p = p.slice(2); // file:///abs/path
  if (p === ":memory:" || p === "") return ":memory:";
  return path.resolve(process.cwd(), p);
}

/** For messages: hides a password in a URL. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, "//$1:***@");
}
