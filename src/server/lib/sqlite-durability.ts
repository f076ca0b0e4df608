/**
 * The settings every SQLite connection of the project opens with (the app's, the workers', the scripts'):
 * see docs/sqlite-durability.md for the choice.
 * - journal_mode = WAL: readers (other requests, other processes) go on while one writer commits. A
 *   property of the file, so it sticks; asking again on a file already in WAL is a no-op.
 * - synchronous = FULL: every commit is synced to disk before COMMIT returns, so nothing the app has
 *   acted on (a charge made, a response sent) can be lost with the last commits on a power loss. Per
 *   connection, hence set on each; better-sqlite3 is built to default to NORMAL in WAL mode, which is
 *   safe against a process crash (kill -9) but not against a power loss or an OS crash.
 */
export const SQLITE_CONNECTION_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"] as const;
