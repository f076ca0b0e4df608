import Database from "better-sqlite3";

const databaseFile = (process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db").replace(/^file:/, "");

/** Reads the app's SQLite database directly (read-only), so specs check what the UI shows against the rows. */
export function readDatabase<T>(read: (db: Database.Database) => T): T {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
