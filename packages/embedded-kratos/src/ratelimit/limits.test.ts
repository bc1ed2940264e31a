import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CIAM_CONFIG, IAM_CONFIG } from "../testing/harness";
import { ClientIpResolver, normalizeAddress, rateLimitKeyForAddress } from "./client-ip";
import { loadLimits, type AttemptKind, type LimitRule, type LimitsConfig } from "./config";
import { decide } from "./counters";

const PROD_CIAM = path.resolve(path.dirname(CIAM_CONFIG), "../../prod/ciam-kratos/kratos.yml");
const PROD_IAM = path.resolve(path.dirname(IAM_CONFIG), "../../prod/iam-kratos/kratos.yml");

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
const KINDS: AttemptKind[] = ["password", "code", "totp", "lookup_secret"];

describe("the limits files in platform/", () => {
  const files = {
    devCiam: loadLimits(CIAM_CONFIG),
    devIam: loadLimits(IAM_CONFIG),
    prodCiam: loadLimits(PROD_CIAM),
    prodIam: loadLimits(PROD_IAM),
  };

  it("are found next to each kratos.yml and valid", () => {
    for (const config of Object.values(files)) expect(config.source).toMatch(/olympus-limits\.yml$/);
  });

  it("give these figures (a client trying every 100 ms against one identifier)", () => {
    const guesses = (config: LimitsConfig, kind: AttemptKind) => [
      allowedWithin(config.attempts[kind].per_identifier, 15 * MINUTE),
      allowedWithin(config.attempts[kind].per_identifier, HOUR),
    ];
    // [first 15 minutes, first hour]
    expect(guesses(files.devCiam, "password")).toEqual([10, 40]);
    expect(guesses(files.devIam, "password")).toEqual([5, 10]);
    expect(guesses(files.devCiam, "code")).toEqual([10, 40]);
    expect(guesses(files.devIam, "code")).toEqual([5, 10]);
    expect(guesses(files.devCiam, "totp")).toEqual([10, 40]);
    expect(guesses(files.devIam, "totp")).toEqual([5, 10]);
    expect(guesses(files.devCiam, "lookup_secret")).toEqual([10, 40]);
    expect(guesses(files.devIam, "lookup_secret")).toEqual([5, 10]);
    expect(allowedWithin(files.devCiam.sends.per_address, HOUR)).toBe(5);
    expect(allowedWithin(files.devIam.sends.per_address, HOUR)).toBe(3);
    expect(allowedWithin(files.prodCiam.attempts.password.per_ip, HOUR)).toBe(400);
    expect(allowedWithin(files.prodIam.attempts.password.per_ip, HOUR)).toBe(120);
    expect(allowedWithin(files.prodCiam.registrations.per_ip, HOUR)).toBe(20);
    expect(allowedWithin(files.prodIam.registrations.per_ip, HOUR)).toBe(5);
  });

  it("make IAM stricter than CIAM on every count, in development and production", () => {
    for (const [ciam, iam] of [
      [files.devCiam, files.devIam],
      [files.prodCiam, files.prodIam],
    ] as const) {
      const pairs: [LimitRule, LimitRule][] = [
        ...KINDS.flatMap((k): [LimitRule, LimitRule][] => [
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

  it("are at least as strict in production as in development", () => {
    for (const [dev, prod] of [
      [files.devCiam, files.prodCiam],
      [files.devIam, files.prodIam],
    ] as const) {
      for (const k of KINDS) {
        expect(prod.attempts[k].per_identifier).toEqual(dev.attempts[k].per_identifier);
        expect(prod.attempts[k].per_ip.max).toBeLessThanOrEqual(dev.attempts[k].per_ip.max);
      }
      expect(prod.sends.per_ip.max).toBeLessThanOrEqual(dev.sends.per_ip.max);
      expect(prod.registrations.per_ip.max).toBeLessThanOrEqual(dev.registrations.per_ip.max);
    }
  });
});

describe("loading a limits file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "olympus-limits-"));
  const kratosYml = path.join(dir, "kratos.yml");
  const write = (text: string) => writeFileSync(path.join(dir, "olympus-limits.yml"), text);

  it("uses the built-in defaults when there is no file, and the file's values over them", () => {
    const defaults = loadLimits(path.join(dir, "elsewhere", "kratos.yml"));
    expect(defaults.source).toBeUndefined();
    expect(defaults.attempts.password.per_identifier).toMatchObject({ max: 10, window: 15 * MINUTE, lockout: 15 * MINUTE });
    write("version: v1\nsends:\n  per_address: { max: 2, window: 30m }\n");
    const config = loadLimits(kratosYml);
    expect(config.sends.per_address).toEqual({ max: 2, window: 30 * MINUTE });
    expect(config.sends.per_ip).toEqual(defaults.sends.per_ip);
  });

  it("names the key and the problem of an invalid file", () => {
    write("version: v1\nattempts:\n  password:\n    per_identifier: { max: 3, window: soon, backoff: { after: 5, base: 1s, max: 2s } }\n");
    expect(() => loadLimits(kratosYml)).toThrow(/attempts\.password\.per_identifier\.window: "soon" is not a positive duration/);
    write("version: v1\nattempts:\n  password:\n    per_identifier: { max: 3, window: 1m, backoff: { after: 5, base: 1s, max: 2s } }\n");
    expect(() => loadLimits(kratosYml)).toThrow(/backoff\.after must not exceed max/);
    write("version: v1\nsends:\n  per_adress: { max: 2, window: 1h }\n");
    expect(() => loadLimits(kratosYml)).toThrow(/Unrecognized key.*per_adress/);
    write("version: v1\nclient_ip:\n  trusted_proxies: [10.0.0.0/33]\n");
    expect(() => loadLimits(kratosYml)).toThrow(/client_ip\.trusted_proxies\.0: must be an IP address or CIDR range/);
    expect(() => loadLimits(kratosYml, { path: path.join(dir, "missing.yml") })).toThrow(/does not exist/);
  });
});

describe("the back-off and lockout schedule", () => {
  const rule: LimitRule = { max: 5, window: 15 * MINUTE, backoff: { after: 3, base: 2000, max: 60_000 }, lockout: 30 * MINUTE };
  const at = (ms: number, hits: number, blockedUntil: number | null, windowStart = 0) =>
    decide(rule, { hits, window_started_at: new Date(windowStart), blocked_until: blockedUntil === null ? null : new Date(blockedUntil), now: new Date(ms) });

  it("waits base·2^n from the back-off threshold on, then locks out, then starts afresh", () => {
    expect(at(0, 0, null)).toMatchObject({ allowed: true, hits: 1, blockedUntil: null });
    expect(at(0, 2, null)).toMatchObject({ allowed: true, hits: 3, blockedUntil: new Date(2000) });
    expect(at(1000, 3, 2000)).toMatchObject({ allowed: false, retryAfterMs: 1000 });
    expect(at(2000, 3, 2000)).toMatchObject({ allowed: true, hits: 4, blockedUntil: new Date(6000) });
    expect(at(6000, 4, 6000)).toMatchObject({ allowed: true, hits: 5, blockedUntil: new Date(6000 + 30 * MINUTE) });
    expect(at(7000, 5, 6000 + 30 * MINUTE)).toMatchObject({ allowed: false, retryAfterMs: 30 * MINUTE - 1000 });
    expect(at(6000 + 30 * MINUTE, 5, 6000 + 30 * MINUTE)).toMatchObject({ allowed: true, hits: 1, windowStartedAt: new Date(6000 + 30 * MINUTE) });
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

describe("the client address", () => {
  const proxies = new ClientIpResolver(["127.0.0.1", "10.0.0.0/8", "::1"]);
  const none = new ClientIpResolver([]);

  it("is the socket's unless the socket is a trusted proxy", () => {
    expect(none.resolve("127.0.0.1", "198.51.100.7")).toBe("127.0.0.1");
    expect(proxies.resolve("192.0.2.1", "198.51.100.7")).toBe("192.0.2.1");
    expect(proxies.resolve("127.0.0.1", undefined)).toBe("127.0.0.1");
    expect(proxies.resolve("::ffff:127.0.0.1", "198.51.100.7")).toBe("198.51.100.7");
  });

  it("walks X-Forwarded-For from the right past trusted proxies only", () => {
    expect(proxies.resolve("127.0.0.1", "203.0.113.9, 198.51.100.7, 10.1.2.3")).toBe("198.51.100.7");
    expect(proxies.resolve("127.0.0.1", ["203.0.113.9", "10.1.2.3"])).toBe("203.0.113.9");
    expect(proxies.resolve("127.0.0.1", "10.9.9.9, 10.1.2.3")).toBe("10.9.9.9");
    // Garbage stops the walk: the last good hop is the client.
    expect(proxies.resolve("127.0.0.1", "198.51.100.7, <script>, 10.1.2.3")).toBe("10.1.2.3");
    expect(proxies.resolve("127.0.0.1", "not-an-ip")).toBe("127.0.0.1");
    expect(proxies.resolve("127.0.0.1", "[2001:db8::1]:443, 198.51.100.7:8080")).toBe("198.51.100.7");
  });

  it("normalises addresses and groups IPv6 by /64", () => {
    expect(normalizeAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normalizeAddress("1.2.3")).toBeUndefined();
    expect(rateLimitKeyForAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(rateLimitKeyForAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKeyForAddress("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKeyForAddress("::1")).toBe("0:0:0:0::/64");
  });
});
