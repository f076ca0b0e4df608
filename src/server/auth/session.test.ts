import { afterEach, describe, expect, it, vi } from "vitest";
import { readSession, type Session, sessionCookie } from "./session";

const shopper: Session = { userId: "u_1", name: "Ada", isAdmin: false };
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The Cookie header a browser sends back for a Set-Cookie from sessionCookie. */
const cookieHeaderOf = (setCookie: string) => setCookie.split(";")[0] ?? "";

describe("session cookie", () => {
  afterEach(() => vi.useRealTimers());

  it("reads back what was sealed, and again from the opened seals", async () => {
    const header = cookieHeaderOf(await sessionCookie(shopper));
    expect(await readSession(header)).toEqual(shopper);
    expect(await readSession(header)).toEqual(shopper);
  });

  it("refuses a tampered seal, even after the genuine one was opened", async () => {
    const header = cookieHeaderOf(await sessionCookie({ ...shopper, userId: "u_2" }));
    expect(await readSession(header)).not.toBeNull();
    const at = header.length - 5;
    const tampered = `${header.slice(0, at)}${header[at] === "A" ? "B" : "A"}${header.slice(at + 1)}`;
    expect(await readSession(tampered)).toBeNull();
    expect(await readSession("rsc_session=Fe26.2**not*a*seal*at*all*x~2")).toBeNull();
    expect(await readSession(null)).toBeNull();
  });

  // iron itself accepts a seal up to 60 s past its expiry (clock skew); 2 min past, neither it nor the cache may.
  it("stops accepting an opened seal when the seal itself expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const header = cookieHeaderOf(await sessionCookie({ ...shopper, userId: "u_3" }));
    expect(await readSession(header)).toEqual({ ...shopper, userId: "u_3" });
    vi.setSystemTime(new Date(Date.parse("2026-01-01T00:00:00Z") + WEEK_MS - 60_000));
    expect(await readSession(header)).toEqual({ ...shopper, userId: "u_3" });
    vi.setSystemTime(new Date(Date.parse("2026-01-01T00:00:00Z") + WEEK_MS + 120_000));
    expect(await readSession(header)).toBeNull();
  });
});
