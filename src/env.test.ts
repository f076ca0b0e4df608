import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

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
});
