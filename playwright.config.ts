import { defineConfig, devices } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_SESSION_SECRET } from "./e2e/support/secrets";

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Browser specs run Debian's Chromium against the built app (`next start`) on a fresh SQLite database.
 * `npm run build` must have run first (.ci/run does it).
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/api/trpc/catalog.list`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db",
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
