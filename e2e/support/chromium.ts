import { existsSync } from "node:fs";
import type { LaunchOptions } from "@playwright/test";
import { env } from "../../src/env";

/** Debian's (and Ubuntu's apt) Chromium: used when present, so no browser download is needed there. */
const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/**
 * How every browser of the project is launched (Playwright specs, screenshots): CHROMIUM_PATH when set, else
 * Debian's Chromium when installed, else Playwright's own (`npx playwright install chromium`). The flags
 * keep the browser off the network: no updates, no sync, no DNS look-ups except loopback.
 */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = env.CHROMIUM_PATH ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
  return {
    ...(executablePath ? { executablePath } : {}),
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
  };
}
