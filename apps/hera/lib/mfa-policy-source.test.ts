import { describe, expect, it } from "vitest";
import { createMfaPolicySource } from "./mfa-policy-source";

const IAM_DEFAULTS = { required: true, graceDays: 0 };

function harness(read: () => Promise<ReadonlyMap<string, string>>) {
  let clock = 1_000;
  let reads = 0;
  const logs: Record<string, unknown>[] = [];
  const source = createMfaPolicySource({
    read: () => (reads++, read()),
    defaults: IAM_DEFAULTS,
    log: (line) => logs.push(line),
    ttlMs: 15_000,
    now: () => clock,
  });
  return { source, logs, reads: () => reads, advance: (ms: number) => (clock += ms) };
}

describe("the MFA policy Hera enforces, read at run time", () => {
  it("follows a change in the settings within the cache time, without a restart", async () => {
    let stored = new Map<string, string>();
    const h = harness(async () => stored);
    expect((await h.source.current()).required).toBe(true);
    stored = new Map([["mfa.required", "false"]]);
    expect((await h.source.current()).required).toBe(true); // still cached
    h.advance(15_000);
    expect(await h.source.current()).toEqual({
      required: false,
      graceDays: 0,
      allowedMethods: ["totp", "webauthn"],
      offeredMethods: ["totp", "webauthn", "lookup_secret"],
    });
    expect(h.reads()).toBe(2);
  });

  it("shares one read among concurrent sign-ins", async () => {
    const h = harness(async () => new Map([["mfa.grace_days", "7"]]));
    const policies = await Promise.all([h.source.current(), h.source.current(), h.source.current()]);
    expect(policies.map((p) => p.graceDays)).toEqual([7, 7, 7]);
    expect(h.reads()).toBe(1);
  });

  it("falls back to the deployment's defaults while the store cannot be read, and says so once", async () => {
    let up = false;
    const h = harness(async () => {
      if (!up) throw new Error("connection refused");
      return new Map([["mfa.required", "false"]]);
    });
    expect(await h.source.current()).toEqual({
      required: true,
      graceDays: 0,
      allowedMethods: ["totp", "webauthn"],
      offeredMethods: ["totp", "webauthn", "lookup_secret"],
    });
    h.advance(15_000);
    await h.source.current();
    expect(h.logs.filter((l) => l.level === "error")).toHaveLength(1);
    up = true;
    h.advance(15_000);
    expect((await h.source.current()).required).toBe(false);
    expect(h.logs.map((l) => l.msg)).toEqual([
      "mfa policy: settings unreadable, the deployment's defaults apply",
      "mfa policy: settings readable again",
    ]);
  });
});
