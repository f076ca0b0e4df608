/**
 * Vitest global setup (npm test, npm run test:chaos): picks the PostgreSQL server of the whole run once,
 * starting an embedded one when none is configured or answering, and stops it when the run ends.
 */
import { acquireTestPostgres } from "../../scripts/postgres/test-server";

export default async function setup(): Promise<() => Promise<void>> {
  const server = await acquireTestPostgres();
  console.log(`[tests] PostgreSQL: ${server.description}`);
  // The workers (forked after this) and the app processes they spawn read it through src/env.ts.
  process.env.TEST_POSTGRES_URL = server.url;
  return server.stop;
}
