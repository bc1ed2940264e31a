import type { Identity, Session } from "@olympus/ory-client/admin";
import { describe, expect, it } from "vitest";
import {
  activeUsers,
  CHART_DAYS,
  clientsByGrantType,
  dailySeries,
  mfaAdoption,
  peakHours,
  recentSignIns,
  usersBySchema,
  verification,
} from "./aggregate";

/** The arithmetic behind each widget, with a fixed clock (Kratos' own timestamps cannot be set through its API). */
const NOW = new Date("2026-03-14T12:00:00Z");
const ago = (days: number, hours = 0) => new Date(NOW.getTime() - days * 86_400_000 - hours * 3_600_000).toISOString();

const identity = (n: number, createdAt: string, schema = "customer", addresses: boolean[] = [true]): Identity => ({
  id: `id-${n}`,
  schema_id: schema,
  schema_url: `http://kratos/schemas/${schema}`,
  traits: { email: `c${n}@example.com` },
  created_at: createdAt,
  verifiable_addresses: addresses.map((verified, i) => ({
    id: `a${n}-${i}`,
    value: `c${n}+${i}@example.com`,
    via: "email",
    verified,
    status: verified ? "completed" : "pending",
  })),
});
const session = (n: number, who: number, authenticatedAt: string, active = true, methods: string[] = ["password"]): Session => ({
  id: `s-${n}`,
  active,
  authenticated_at: authenticatedAt,
  authentication_methods: methods.map((method) => ({ method: method as "password" })),
  identity: identity(who, ago(100)),
});

describe("sign-ups and sign-ins per day", () => {
  it("spans the last 30 UTC days ending today and buckets creation and authentication times", () => {
    const series = dailySeries(
      [identity(1, ago(0)), identity(2, ago(0)), identity(3, ago(2)), identity(4, ago(40))],
      [session(1, 1, ago(0)), session(2, 1, ago(1)), session(3, 2, ago(1)), session(4, 3, ago(31))],
      NOW,
    );
    expect(series).toHaveLength(CHART_DAYS);
    expect(series[0]?.day).toBe("2026-02-13");
    expect(series.at(-1)).toEqual({ day: "2026-03-14", signUps: 2, signIns: 1 });
    expect(series.find((p) => p.day === "2026-03-13")).toEqual({ day: "2026-03-13", signUps: 0, signIns: 2 });
    expect(series.find((p) => p.day === "2026-03-12")).toEqual({ day: "2026-03-12", signUps: 1, signIns: 0 });
    // Older ones fall outside the chart.
    expect(series.reduce((n, p) => n + p.signUps, 0)).toBe(3);
    expect(series.reduce((n, p) => n + p.signIns, 0)).toBe(3);
  });
});

describe("active users", () => {
  it("counts distinct identities with a session authenticated within the window", () => {
    const sessions = [
      session(1, 1, ago(0)),
      session(2, 1, ago(3)), // same person twice
      session(3, 2, ago(6, 23)),
      session(4, 3, ago(8), false), // ended sessions still show activity
      session(5, 4, ago(29)),
      session(6, 5, ago(31)),
    ];
    expect(activeUsers(sessions, NOW, 7)).toBe(2);
    expect(activeUsers(sessions, NOW, 30)).toBe(4);
  });
});

describe("peak hours", () => {
  it("counts the last 30 days' sign-ins by UTC hour", () => {
    const hours = peakHours(
      [
        session(1, 1, "2026-03-14T09:15:00Z"),
        session(2, 2, "2026-03-10T09:59:59Z"),
        session(3, 3, "2026-03-13T23:00:00Z"),
        session(4, 4, ago(45)),
      ],
      NOW,
    );
    expect(hours).toHaveLength(24);
    expect(hours[9]).toEqual({ hour: 9, signIns: 2 });
    expect(hours[23]).toEqual({ hour: 23, signIns: 1 });
    expect(hours.reduce((n, h) => n + h.signIns, 0)).toBe(3);
  });
});

describe("users by schema and verification", () => {
  it("counts identities per schema, most first", () => {
    expect(usersBySchema([identity(1, ago(0), "default"), identity(2, ago(0), "company"), identity(3, ago(0), "company")])).toEqual([
      { schema: "company", count: 2 },
      { schema: "default", count: 1 },
    ]);
  });

  it("is verified addresses over all verifiable addresses, and none without addresses", () => {
    expect(
      verification([
        identity(1, ago(0), "customer", [true, false]),
        identity(2, ago(0), "customer", [true]),
        identity(3, ago(0), "customer", []),
      ]),
    ).toEqual({
      verified: 2,
      total: 3,
      rate: 2 / 3,
    });
    expect(verification([]).rate).toBeNull();
  });
});

describe("MFA adoption", () => {
  it("counts identities with a TOTP, WebAuthn or backup-code credential, once each, and per method", () => {
    const adoption = mfaAdoption([
      { credentials: { password: { type: "password" }, totp: { type: "totp" }, lookup_secret: { type: "lookup_secret" } } },
      {
        credentials: {
          password: { type: "password" },
          webauthn: { type: "webauthn", config: { credentials: [{ is_passwordless: false }] } },
        },
      },
      { credentials: { password: { type: "password" }, code: { type: "code" } } },
      // Kratos gives every identity a webauthn credential holding the schema's identifier (extension_credentials.go):
      // without a key, or with passwordless keys only, it is no second factor.
      { credentials: { password: { type: "password" }, webauthn: { type: "webauthn", config: {} } } },
      { credentials: { webauthn: { type: "webauthn", config: { credentials: [{ is_passwordless: true }] } } } },
      { credentials: undefined },
    ]);
    expect(adoption).toEqual({
      identities: 6,
      withMfa: 2,
      rate: 2 / 6,
      byMethod: [
        { method: "totp", identities: 1 },
        { method: "webauthn", identities: 1 },
        { method: "lookup_secret", identities: 1 },
      ],
    });
    expect(mfaAdoption([]).rate).toBeNull();
  });
});

describe("grant types", () => {
  it("counts each client under every grant type, and no grant types as authorization_code (hydra client/client.go, GetGrantTypes)", () => {
    expect(
      clientsByGrantType([
        { grant_types: ["authorization_code", "refresh_token"] },
        { grant_types: ["client_credentials"] },
        { grant_types: [] },
        {},
      ]),
    ).toEqual([
      { grantType: "authorization_code", clients: 3 },
      { grantType: "client_credentials", clients: 1 },
      { grantType: "refresh_token", clients: 1 },
    ]);
  });
});

describe("recent sign-ins", () => {
  it("lists the newest first, naming the person by their email trait and the methods used", () => {
    const feed = recentSignIns([session(1, 1, ago(2)), session(2, 2, ago(0), true, ["password", "totp"]), session(3, 3, ago(1))], 2);
    expect(feed).toEqual([
      { sessionId: "s-2", at: ago(0), identityId: "id-2", who: "c2@example.com", methods: ["password", "totp"] },
      { sessionId: "s-3", at: ago(1), identityId: "id-3", who: "c3@example.com", methods: ["password"] },
    ]);
  });
});
