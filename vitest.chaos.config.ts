import path from "node:path";
import { defineConfig } from "vitest/config";

/** `npm run test:chaos`: kill -9 under a storm against the built app. Not part of `npm test`. */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["bench/**/*.chaos.test.ts"],
    globalSetup: ["src/test/global-setup.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
