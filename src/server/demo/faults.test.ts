import { describe, expect, it } from "vitest";
import { MAX_FAULT_DELAY_MS, parseFault } from "./faults";

describe("parseFault", () => {
  it("reads every fault of docs/protocol.md section 8", () => {
    expect(parseFault(null)).toEqual({ fault: null });
    expect(parseFault("lose-response")).toEqual({ fault: { kind: "lose-response" } });
    expect(parseFault("Crash-After-Charge")).toEqual({ fault: { kind: "crash-after-charge" } });
    expect(parseFault("provider-timeout-after-charge")).toEqual({ fault: { kind: "provider-timeout-after-charge" } });
    expect(parseFault("db-busy")).toEqual({ fault: { kind: "db-busy" } });
    expect(parseFault("delay:250")).toEqual({ fault: { kind: "delay", ms: 250 } });
  });
  it("refuses unknown faults and out-of-range delays with a message", () => {
    expect(parseFault("explode")).toHaveProperty("error");
    expect(parseFault("delay:-1")).toHaveProperty("error");
    expect(parseFault(`delay:${MAX_FAULT_DELAY_MS + 1}`)).toHaveProperty("error");
    expect(parseFault("delay:abc")).toHaveProperty("error");
  });
});
