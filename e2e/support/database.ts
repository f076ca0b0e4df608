import Database from "better-sqlite3";
import { env } from "../../src/env";

const databaseFile = env.E2E_DATABASE_URL.replace(/^file:/, "");

/** Reads the app's SQLite database directly (read-only), so specs check what the UI shows against the rows. */
export function readDatabase<T>(read: (db: Database.Database) => T): T {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
