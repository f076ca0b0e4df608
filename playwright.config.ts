import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/support/chromium";
import { E2E_ADMIN_PASSWORD, E2E_SESSION_SECRET } from "./e2e/support/secrets";
import { env } from "./src/env";

const port = env.E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;
/**
 * Specs whose data would disturb the others' global checks (the audit's repeat charges of the unsafe baseline,
 * the dashboard's event counts): they run after every other spec, in a project of their own.
 */
const LEAVES_TRACES = /(accessibility|tour|unsafe-baseline|unsafe-twins)\.spec\.ts$/;

/**
 * Browser specs run Chromium (Debian's where installed, else Playwright's own) against the built app
 * (`next start`) on a fresh SQLite database. `npm run build` must have run first (.ci/run does it).
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  forbidOnly: env.CI,
  retries: 0,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [
    { name: "chromium", testIgnore: LEAVES_TRACES, use: { ...devices["Desktop Chrome"], channel: undefined } },
    {
      name: "chromium-after",
      testMatch: LEAVES_TRACES,
      dependencies: ["chromium"],
      use: { ...devices["Desktop Chrome"], channel: undefined },
    },
  ],
  webServer: {
    command: "npx tsx scripts/e2e-server.ts",
    url: `${baseURL}/api/trpc/catalog.list`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATABASE_URL: env.E2E_DATABASE_URL,
      DEMO_FAULTS: "on",
      // `next start` refuses the development defaults; plain http://127.0.0.1 needs the logged opt-out.
      SESSION_SECRET: E2E_SESSION_SECRET,
      ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      COOKIE_SECURE: "off",
      NEXT_TELEMETRY_DISABLED: "1",
      IDEMPOTENCY_LEASE_MS: "3000",
      RECOVERY_INTERVAL_MS: "1000",
      // A job worker "crashed" from the dashboard is redelivered after 2 s instead of 30 s.
      JOB_LEASE_MS: "2000",
    },
  },
});
