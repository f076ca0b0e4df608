import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:chaos`: tests against the built app as real `next start` processes: kill -9 under a storm,
 * and the production server's own behaviour (start-up checks, body limit). Not part of `npm test`.
 */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["bench/**/*.chaos.test.ts", "bench/**/*.production.test.ts"],
    globalSetup: ["src/test/global-setup.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
