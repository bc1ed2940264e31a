import { describe, expect, it } from "vitest";
import { DeniedCallAudit } from "./denied-call-audit";

describe("DeniedCallAudit", () => {
  it("writes the first refusal per reason and window, and counts the rest into the next row", () => {
    let clock = 0;
    const audit = new DeniedCallAudit(60_000, () => clock);
    expect(audit.admit("no bearer token")).toEqual({ record: true, suppressed: 0 });
    for (let i = 0; i < 999; i += 1) expect(audit.admit("no bearer token").record).toBe(false);
    // Another reason has its own window.
    expect(audit.admit("inactive token")).toEqual({ record: true, suppressed: 0 });
    clock = 60_000;
    expect(audit.admit("no bearer token")).toEqual({ record: true, suppressed: 999 });
    expect(audit.admit("no bearer token")).toEqual({ record: false, suppressed: 0 });
  });

  it("stays bounded whatever the number of reasons", () => {
    const audit = new DeniedCallAudit(60_000, () => 0);
    for (let i = 0; i < 10_000; i += 1) expect(audit.admit(`client c${i} is not allowed`).record).toBe(true);
    expect((audit as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(256);
  });
});
