import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { acquireTestPostgres, probe, testPostgresUrl } from "./test-server";

/** A loopback port nothing listens on (bound, then released). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

describe("choosing the tests' PostgreSQL server", () => {
  it("starts an embedded server when nothing listens at the default URL, and stop() leaves nothing behind", async () => {
    const defaultUrl = `postgresql://postgres@127.0.0.1:${await closedPort()}/test`;
    expect(await probe(defaultUrl)).toMatch(/ECONNREFUSED/);

    const server = await acquireTestPostgres({ mode: "auto", defaultUrl });
    expect(server.embedded).toBe(true);
    expect(server.description).toMatch(/^embedded PostgreSQL \d+/);
    expect(server.description).toContain("ECONNREFUSED");
    expect(await probe(server.url)).toBeNull();
    const dataDir = server.dataDir ?? "";
    expect(existsSync(dataDir)).toBe(true);

    await server.stop();
    expect(await probe(server.url)).toMatch(/ECONNREFUSED/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("uses a server that answers at the default URL and starts nothing", async () => {
    const running = testPostgresUrl();
    const server = await acquireTestPostgres({ mode: "auto", defaultUrl: running });
    expect(server).toMatchObject({ url: running, embedded: false });
  });

  it("uses a configured TEST_POSTGRES_URL as given, even when it does not answer", async () => {
    const configuredUrl = `postgresql://postgres@127.0.0.1:${await closedPort()}/test`;
    const server = await acquireTestPostgres({ mode: "auto", configuredUrl, defaultUrl: testPostgresUrl() });
    expect(server).toMatchObject({ url: configuredUrl, embedded: false });
  });

  it("TEST_POSTGRES=embedded starts a new server even when one is configured", async () => {
    const server = await acquireTestPostgres({ mode: "embedded", configuredUrl: testPostgresUrl(), defaultUrl: "" });
    try {
      expect(server.embedded).toBe(true);
      expect(server.url).not.toBe(testPostgresUrl());
    } finally {
      await server.stop();
    }
  });
});
