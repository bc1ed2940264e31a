import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditEventInput } from "@olympus/athena-store/audit";
import type { SettingInput } from "@olympus/athena-store/settings";

// The actions' collaborators: an admin session, the audit log and a settings store that records each `set` (one call is one transaction).
interface State {
  batches: SettingInput[][];
  events: AuditEventInput[];
  config: { domain: "ciam" | "iam"; auth: { mfaRequired: boolean } };
  /** What the store lists (a secret's value masked, as the store lists it). */
  stored: { key: string; value: string; secret: boolean }[];
}
const state: State = { batches: [], events: [], config: { domain: "ciam", auth: { mfaRequired: true } }, stored: [] };
vi.mock("@/shared/auth/session", () => ({
  currentSession: async () => ({ status: "active", admin: { id: "a1", email: "admin@olympus.local", name: null, role: "admin" } }),
}));
vi.mock("@/shared/server/audit", () => ({ recordAudit: async (event: AuditEventInput) => void state.events.push(event) }));
vi.mock("@/shared/server/config", () => ({ athenaConfig: () => state.config }));
vi.mock("@/shared/server/olympus-db", () => ({
  auditLog: async () => ({}),
  settingsStore: async () => ({ set: async (entries: SettingInput[]) => void state.batches.push(entries), list: async () => state.stored }),
}));

const { saveSettingGroup, saveSettings } = await import("./actions");

beforeEach(() => {
  state.batches = [];
  state.events = [];
  state.config = { domain: "ciam", auth: { mfaRequired: true } };
  state.stored = [];
});

describe("a stored secret is not sent to a new destination without being entered again", () => {
  it("refuses a new SMTP host while the stored password would be kept, by key and in the group, storing nothing", async () => {
    state.stored = [
      { key: "smtp.host", value: "smtp.example.com", secret: false },
      { key: "smtp.password", value: "••••••••", secret: true },
    ];
    const byKey = await saveSettings({ entries: [{ key: "smtp.host", value: "mx.attacker.example", secret: false }] });
    expect(byKey).toMatchObject({
      ok: false,
      error: { fields: { "entries.0.value": expect.stringContaining("enter the password again") as unknown } },
    });
    const inGroup = await saveSettingGroup({ group: "smtp", values: { "smtp.host": "mx.attacker.example" } });
    expect(inGroup).toMatchObject({
      ok: false,
      error: { fields: { "values.smtp.host": expect.stringContaining("enter the password again") as unknown } },
    });
    expect(state.batches).toEqual([]);

    expect(
      await saveSettingGroup({ group: "smtp", values: { "smtp.host": "mx.new.example", "smtp.password": "typed-again" } }),
    ).toMatchObject({
      ok: true,
    });
  });
});

describe("IAM's second factor and Athena's own requirement (AUTH_MFA_REQUIRED)", () => {
  it("refuses turning mfa.required off for IAM while Athena requires a second factor, by key and in its group, storing nothing", async () => {
    state.config = { domain: "iam", auth: { mfaRequired: true } };
    const byKey = await saveSettings({ entries: [{ key: "mfa.required", value: "off", secret: false }] });
    expect(byKey).toMatchObject({
      ok: false,
      error: { fields: { "entries.0.value": expect.stringContaining("AUTH_MFA_REQUIRED=true") as unknown } },
    });
    const inGroup = await saveSettingGroup({ group: "mfa", values: { "mfa.required": "off" } });
    expect(inGroup).toMatchObject({
      ok: false,
      error: { fields: { "values.mfa.required": expect.stringContaining("could no longer sign in") as unknown } },
    });
    expect(state.batches).toEqual([]);
  });

  it("allows it on CIAM, or on IAM when Athena does not require one itself", async () => {
    expect(await saveSettings({ entries: [{ key: "mfa.required", value: "off", secret: false }] })).toMatchObject({ ok: true });
    state.config = { domain: "iam", auth: { mfaRequired: false } };
    expect(await saveSettingGroup({ group: "mfa", values: { "mfa.required": "off" } })).toMatchObject({ ok: true });
    expect(state.batches).toEqual([
      [{ key: "mfa.required", value: "off", secret: false }],
      [{ key: "mfa.required", value: "off", secret: false }],
    ]);
  });
});

describe("saving a setting by key", () => {
  it("seals smtp.password even when the secret box was left unticked", async () => {
    expect(await saveSettings({ entries: [{ key: "smtp.password", value: "hunter2", secret: false }] })).toMatchObject({ ok: true });
    expect(state.batches).toEqual([[{ key: "smtp.password", value: "hunter2", secret: true }]]);
    expect(state.events[0]?.details).toMatchObject({ keys: ["smtp.password"], secretKeys: ["smtp.password"] });
    expect(JSON.stringify(state.events)).not.toContain("hunter2");
  });

  it("refuses a known key's invalid value, naming the key and the rule, and stores nothing", async () => {
    const result = await saveSettings({ entries: [{ key: "smtp.port", value: "70000", secret: false }] });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Some values are not valid.",
        fields: { "entries.0.value": "smtp.port: a port number from 1 to 65535" },
      },
    });
    expect(state.batches).toEqual([]);
  });

  it("stores a value normalised by its rule, and an unknown key as given", async () => {
    await saveSettings({
      entries: [
        { key: "m2m.allowed_scopes", value: " orders:read  reports:read ", secret: false },
        { key: "feature.flag", value: " on ", secret: false },
      ],
    });
    expect(state.batches).toEqual([
      [
        { key: "m2m.allowed_scopes", value: "orders:read reports:read", secret: false },
        { key: "feature.flag", value: " on ", secret: false },
      ],
    ]);
  });
});

describe("saving a typed group", () => {
  it("writes the group's filled fields in one transaction, sealing the password, and keeps a blank secret as stored", async () => {
    const values = {
      "smtp.host": "smtp.example.com",
      "smtp.port": "587",
      "smtp.username": "relay",
      "smtp.password": "",
      "smtp.from_address": "no-reply@example.com",
    };
    expect(await saveSettingGroup({ group: "smtp", values })).toMatchObject({ ok: true, message: "Outgoing mail (SMTP) saved." });
    expect(state.batches).toEqual([
      [
        { key: "smtp.host", value: "smtp.example.com", secret: false },
        { key: "smtp.port", value: "587", secret: false },
        { key: "smtp.username", value: "relay", secret: false },
        { key: "smtp.from_address", value: "no-reply@example.com", secret: false },
      ],
    ]);

    await saveSettingGroup({ group: "smtp", values: { "smtp.password": "hunter2" } });
    expect(state.batches[1]).toEqual([{ key: "smtp.password", value: "hunter2", secret: true }]);
  });

  it("names each broken rule beside its field and saves none of the group", async () => {
    const result = await saveSettingGroup({
      group: "m2m",
      values: { "m2m.allowed_scopes": "orders:read", "m2m.max_token_lifetime_minutes": "0" },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "invalid_input",
        fields: { "values.m2m.max_token_lifetime_minutes": "a whole number of minutes from 1 to 1440 (24 hours)" },
      },
    });
    expect(state.batches).toEqual([]);
  });

  it("refuses another group's key, an unknown key and an empty form", async () => {
    expect(await saveSettingGroup({ group: "m2m", values: { "smtp.password": "hunter2" } })).toMatchObject({
      ok: false,
      error: { fields: { "values.smtp.password": "not a m2m setting" } },
    });
    expect(await saveSettingGroup({ group: "smtp", values: { "smtp.host": "smtp.example.com", "captcha.secret": "x" } })).toMatchObject({
      ok: false,
    });
    expect(await saveSettingGroup({ group: "smtp", values: { "smtp.host": " " } })).toMatchObject({
      ok: false,
      error: { fields: { values: "fill in at least one value" } },
    });
    expect(state.batches).toEqual([]);
  });
});
