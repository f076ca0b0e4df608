import { describe, expect, it } from "vitest";
import { parseEnv, productionProblems } from "./env";

describe("parseEnv", () => {
  it("gives a bare machine working defaults: SQLite, faults on only in development", () => {
    const dev = parseEnv({ NODE_ENV: "development" });
    expect(dev.DATABASE_URL).toBe("file:./data/dev.db");
    expect(dev.DEMO_FAULTS).toBe("on");
    expect(dev.IDEMPOTENCY_LEASE_MS).toBe(5_000);
    expect(dev.IDEMPOTENCY_TTL_MS).toBe(86_400_000);
    expect(parseEnv({ NODE_ENV: "production" }).DEMO_FAULTS).toBe("off");
    expect(parseEnv({ NODE_ENV: "production", DEMO_FAULTS: "on" }).DEMO_FAULTS).toBe("on");
  });
  it("keeps the 30 s lease outside development, and an explicit lease everywhere", () => {
    expect(parseEnv({ NODE_ENV: "production" }).IDEMPOTENCY_LEASE_MS).toBe(30_000);
    expect(parseEnv({ NODE_ENV: "test" }).IDEMPOTENCY_LEASE_MS).toBe(30_000);
    expect(parseEnv({ NODE_ENV: "development", IDEMPOTENCY_LEASE_MS: "45000" }).IDEMPOTENCY_LEASE_MS).toBe(45_000);
    expect(parseEnv({ NODE_ENV: "production", IDEMPOTENCY_LEASE_MS: "2000" }).IDEMPOTENCY_LEASE_MS).toBe(2_000);
  });
  it("accepts PostgreSQL URLs", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://u@h:5432/db" }).DATABASE_URL).toMatch(/^postgresql/);
  });
  it("names every invalid variable in one clear error", () => {
    expect(() =>
      parseEnv({ DATABASE_URL: "mysql://x", SESSION_SECRET: "short", IDEMPOTENCY_LEASE_MS: "-5", DEMO_FAULTS: "yes" }),
    ).toThrow(/^Invalid configuration:/);
    const message = (() => {
      try {
        parseEnv({ DATABASE_URL: "mysql://x", SESSION_SECRET: "short" });
      } catch (e) {
        return String(e);
      }
      return "";
    })();
    expect(message).toContain("DATABASE_URL must start with file:");
    expect(message).toContain("SESSION_SECRET must be at least 32 characters");
  });
  it("production refuses missing or development-default secrets, naming each and how to set it", () => {
    const bare = productionProblems(parseEnv({ NODE_ENV: "production" }));
    expect(bare).toHaveLength(2);
    expect(bare[0]).toMatch(/^SESSION_SECRET .*openssl rand -hex 32/);
    expect(bare[1]).toMatch(/^ADMIN_PASSWORD /);
    const devPassword = productionProblems(
      parseEnv({ NODE_ENV: "production", SESSION_SECRET: "s".repeat(40), ADMIN_PASSWORD: "admin" }),
    );
    expect(devPassword).toEqual([expect.stringMatching(/^ADMIN_PASSWORD/)]);
    expect(
      productionProblems(parseEnv({ NODE_ENV: "production", SESSION_SECRET: "s".repeat(40), ADMIN_PASSWORD: "pw" })),
    ).toEqual([]);
    expect(productionProblems(parseEnv({ NODE_ENV: "development" }))).toEqual([]);
  });
  it("marks the cookie Secure by default only in production, with an explicit opt-out", () => {
    expect(parseEnv({ NODE_ENV: "production" }).cookieSecure).toBe(true);
    expect(parseEnv({ NODE_ENV: "production", COOKIE_SECURE: "off" }).cookieSecure).toBe(false);
    expect(parseEnv({ NODE_ENV: "development" }).cookieSecure).toBe(false);
    expect(parseEnv({ NODE_ENV: "development", COOKIE_SECURE: "on" }).cookieSecure).toBe(true);
  });
  it("keeps at least two days of history, so the dashboard's day window stays whole", () => {
    expect(parseEnv({}).RETENTION_DAYS).toBe(14);
    expect(() => parseEnv({ RETENTION_DAYS: "1" })).toThrow(/RETENTION_DAYS/);
  });
});
