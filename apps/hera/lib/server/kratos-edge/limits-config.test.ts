import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { limitsFile } from "@/lib/testing/edge-stack";
import { decide } from "./counters";
import { ATTEMPT_KINDS, loadLimits, type AttemptKind, type LimitRule, type LimitsConfig } from "./limits-config";

/**
 * How many hits a client trying every 100 ms gets through one key in
 * `durationMs` — the "attempts allowed per window" figures of the README.
 */
function allowedWithin(rule: LimitRule, durationMs: number, stepMs = 100): number {
  let row = { hits: 0, window_started_at: new Date(0), blocked_until: null as Date | null, now: new Date(0) };
  let allowed = 0;
  for (let t = 0; t < durationMs; t += stepMs) {
    row.now = new Date(t);
    const d = decide(rule, row);
    if (!d.allowed) continue;
    allowed++;
    row = { hits: d.hits, window_started_at: d.windowStartedAt, blocked_until: d.blockedUntil, now: row.now };
  }
  return allowed;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("the limits files in platform/", () => {
  const files = {
    devCiam: loadLimits("ciam", limitsFile("dev", "ciam")),
    devIam: loadLimits("iam", limitsFile("dev", "iam")),
    prodCiam: loadLimits("ciam", limitsFile("prod", "ciam")),
    prodIam: loadLimits("iam", limitsFile("prod", "iam")),
  };

  it("are valid, and production's equal each domain's built-in figures", () => {
    for (const config of Object.values(files)) expect(config.source).toMatch(/-hera\/limits\.yml$/);
    const { source: _ciamSource, ...prodCiam } = files.prodCiam;
    const { source: _iamSource, ...prodIam } = files.prodIam;
    const builtIn = (domain: "ciam" | "iam", trusted: string[]) => {
      const { source: _none, ...figures } = loadLimits(domain, undefined, { overrides: { client_ip: { trusted_proxies: trusted } } });
      return figures;
    };
    expect(prodCiam).toEqual(builtIn("ciam", ["172.16.0.0/12"]));
    expect(prodIam).toEqual(builtIn("iam", ["172.16.0.0/12"]));
  });

  it("give the README's figures (a client trying every 100 ms against one identifier)", () => {
    const guesses = (config: LimitsConfig, kind: AttemptKind) => [
      allowedWithin(config.attempts[kind].per_identifier, 15 * MINUTE),
      allowedWithin(config.attempts[kind].per_identifier, HOUR),
    ];
    // [first 15 minutes, first hour], in development and production alike
    for (const [ciam, iam] of [
      [files.devCiam, files.devIam],
      [files.prodCiam, files.prodIam],
    ] as const) {
      for (const kind of ATTEMPT_KINDS) {
        expect(guesses(ciam, kind)).toEqual([10, 40]);
        expect(guesses(iam, kind)).toEqual([5, 10]);
      }
      expect(allowedWithin(ciam.sends.per_address, HOUR)).toBe(5);
      expect(allowedWithin(iam.sends.per_address, HOUR)).toBe(3);
    }
    expect(allowedWithin(files.prodCiam.attempts.password.per_ip, HOUR)).toBe(400);
    expect(allowedWithin(files.prodIam.attempts.password.per_ip, HOUR)).toBe(120);
    expect(allowedWithin(files.prodCiam.sends.per_ip, HOUR)).toBe(30);
    expect(allowedWithin(files.prodIam.sends.per_ip, HOUR)).toBe(10);
    expect(allowedWithin(files.prodCiam.registrations.per_ip, HOUR)).toBe(20);
    expect(allowedWithin(files.prodIam.registrations.per_ip, HOUR)).toBe(5);
  });

  it("make IAM stricter than CIAM on every count, in development and production", () => {
    for (const [ciam, iam] of [
      [files.devCiam, files.devIam],
      [files.prodCiam, files.prodIam],
    ] as const) {
      const pairs: [LimitRule, LimitRule][] = [
        ...ATTEMPT_KINDS.flatMap((k): [LimitRule, LimitRule][] => [
          [ciam.attempts[k].per_identifier, iam.attempts[k].per_identifier],
          [ciam.attempts[k].per_ip, iam.attempts[k].per_ip],
        ]),
        [ciam.sends.per_address, iam.sends.per_address],
        [ciam.sends.per_ip, iam.sends.per_ip],
        [ciam.registrations.per_ip, iam.registrations.per_ip],
      ];
      for (const [c, i] of pairs) {
        expect(i.max).toBeLessThan(c.max);
        expect(allowedWithin(i, HOUR, 1000)).toBeLessThan(allowedWithin(c, HOUR, 1000));
        expect(i.lockout ?? 0).toBeGreaterThanOrEqual(c.lockout ?? 0);
      }
    }
  });

  it("are at least as strict in production as in development, and trust no proxy in development", () => {
    for (const [dev, prod] of [
      [files.devCiam, files.prodCiam],
      [files.devIam, files.prodIam],
    ] as const) {
      for (const k of ATTEMPT_KINDS) {
        expect(prod.attempts[k].per_identifier).toEqual(dev.attempts[k].per_identifier);
        expect(prod.attempts[k].per_ip.max).toBeLessThanOrEqual(dev.attempts[k].per_ip.max);
      }
      expect(prod.sends.per_ip.max).toBeLessThanOrEqual(dev.sends.per_ip.max);
      expect(prod.registrations.per_ip.max).toBeLessThanOrEqual(dev.registrations.per_ip.max);
      expect(dev.client_ip.trusted_proxies).toEqual([]);
    }
  });
});

describe("loading a limits file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hera-limits-"));
  const file = path.join(dir, "limits.yml");
  const write = (text: string) => writeFileSync(file, text);

  it("uses the domain's built-in figures without a file, and the file's values over them", () => {
    const ciam = loadLimits("ciam", undefined);
    const iam = loadLimits("iam", undefined);
    expect(ciam.source).toBeUndefined();
    expect(ciam.attempts.password.per_identifier).toMatchObject({ max: 10, window: 15 * MINUTE, lockout: 15 * MINUTE });
    expect(iam.attempts.password.per_identifier).toMatchObject({ max: 5, window: 15 * MINUTE, lockout: 30 * MINUTE });
    expect(ciam.client_ip).toEqual({ trusted_proxies: [], exempt_from_ip_limits: [] });
    write("version: v1\nsends:\n  per_address: { max: 2, window: 30m }\n");
    const config = loadLimits("ciam", file);
    expect(config.sends.per_address).toEqual({ max: 2, window: 30 * MINUTE });
    expect(config.sends.per_ip).toEqual(ciam.sends.per_ip);
  });

  it("names the key and the problem of an invalid file", () => {
    write("version: v1\nattempts:\n  password:\n    per_identifier: { max: 3, window: soon, backoff: { after: 5, base: 1s, max: 2s } }\n");
    expect(() => loadLimits("ciam", file)).toThrow(/attempts\.password\.per_identifier\.window: "soon" is not a positive duration/);
    write("version: v1\nattempts:\n  password:\n    per_identifier: { max: 3, window: 1m, backoff: { after: 5, base: 1s, max: 2s } }\n");
    expect(() => loadLimits("ciam", file)).toThrow(/backoff\.after must not exceed max/);
    write("version: v1\nsends:\n  per_adress: { max: 2, window: 1h }\n");
    expect(() => loadLimits("ciam", file)).toThrow(/Unrecognized key.*per_adress/);
    write("version: v1\nclient_ip:\n  trusted_proxies: [10.0.0.0/33]\n");
    expect(() => loadLimits("ciam", file)).toThrow(/client_ip\.trusted_proxies\.0: must be an IP address or CIDR range/);
    write("- just\n- a list\n");
    expect(() => loadLimits("ciam", file)).toThrow(/must be a YAML mapping/);
    expect(() => loadLimits("ciam", path.join(dir, "missing.yml"))).toThrow(/cannot read limits file .*missing\.yml: ENOENT/);
  });
});

describe("the back-off and lockout schedule", () => {
  const rule: LimitRule = { max: 5, window: 15 * MINUTE, backoff: { after: 3, base: 2000, max: 60_000 }, lockout: 30 * MINUTE };
  const at = (ms: number, hits: number, blockedUntil: number | null, windowStart = 0) =>
    decide(rule, {
      hits,
      window_started_at: new Date(windowStart),
      blocked_until: blockedUntil === null ? null : new Date(blockedUntil),
      now: new Date(ms),
    });

  it("waits base·2^n from the back-off threshold on, then locks out, then starts afresh", () => {
    expect(at(0, 0, null)).toMatchObject({ allowed: true, hits: 1, blockedUntil: null });
    expect(at(0, 2, null)).toMatchObject({ allowed: true, hits: 3, blockedUntil: new Date(2000) });
    expect(at(1000, 3, 2000)).toMatchObject({ allowed: false, retryAfterMs: 1000 });
    expect(at(2000, 3, 2000)).toMatchObject({ allowed: true, hits: 4, blockedUntil: new Date(6000) });
    expect(at(6000, 4, 6000)).toMatchObject({ allowed: true, hits: 5, blockedUntil: new Date(6000 + 30 * MINUTE) });
    expect(at(7000, 5, 6000 + 30 * MINUTE)).toMatchObject({ allowed: false, retryAfterMs: 30 * MINUTE - 1000 });
    expect(at(6000 + 30 * MINUTE, 5, 6000 + 30 * MINUTE)).toMatchObject({
      allowed: true,
      hits: 1,
      windowStartedAt: new Date(6000 + 30 * MINUTE),
    });
  });

  it("forgets hits once the window is over, and without a lockout refuses until the window ends", () => {
    expect(at(16 * MINUTE, 2, null)).toMatchObject({ allowed: true, hits: 1 });
    const plain: LimitRule = { max: 2, window: HOUR };
    expect(decide(plain, { hits: 2, window_started_at: new Date(0), blocked_until: null, now: new Date(10 * MINUTE) })).toMatchObject({
      allowed: false,
      retryAfterMs: 50 * MINUTE,
    });
  });
});
