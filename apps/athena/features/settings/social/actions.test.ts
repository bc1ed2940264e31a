import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditEventInput } from "@olympus/athena-store/audit";
import type { SettingChanges, SettingListing } from "@olympus/athena-store/settings";

// The actions' collaborators: an admin session, the audit log, the masked listing and the one-transaction change (one call is one transaction).
const state: { listing: SettingListing[]; changes: SettingChanges[]; events: AuditEventInput[] } = { listing: [], changes: [], events: [] };
vi.mock("@/shared/auth/session", () => ({
  currentSession: async () => ({ status: "active", admin: { id: "a1", email: "admin@olympus.local", name: null, role: "admin" } }),
}));
vi.mock("@/shared/server/audit", () => ({ recordAudit: async (event: AuditEventInput) => void state.events.push(event) }));
vi.mock("@/shared/server/config", () => ({ athenaConfig: () => ({ domain: "ciam" }) }));
vi.mock("@/shared/server/olympus-db", () => ({
  auditLog: async () => ({}),
  settingsStore: async () => ({ list: async () => state.listing }),
  changeDomainSettings: async (changes: SettingChanges) => {
    state.changes.push(changes);
    return { removed: changes.remove.filter((key) => state.listing.some((s) => s.key === key)) };
  },
}));

const { removeSocialProvider, saveSocialProvider, setSocialSignInEnabled } = await import("./actions");

const row = (key: string, value: string, secret = false): SettingListing => ({
  key,
  value,
  secret,
  updatedAt: new Date(),
  updatedBy: null,
});
const form = {
  mode: "create" as const,
  id: "acme",
  label: "Sign in with Acme",
  issuer: "https://login.acme.test",
  clientId: "olympus",
  clientSecret: "top-secret",
  scopes: "openid email",
  mapper: "",
};

beforeEach(() => {
  state.listing = [];
  state.changes = [];
  state.events = [];
});

describe("social sign-in provider actions", () => {
  it("refuses an http issuer and a scope list without openid, naming each field and rule, and stores nothing", async () => {
    const result = await saveSocialProvider({ ...form, issuer: "http://login.acme.test", scopes: "email" });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "invalid_input",
        fields: {
          issuer: "Issuer must be an https URL (http is allowed only for localhost or 127.0.0.1)",
          scopes: "Scopes must include openid",
        },
      },
    });
    expect(state.changes).toEqual([]);
  });

  it("adds a provider in one change, its secret sealed, the audit naming keys but no secret", async () => {
    expect(await saveSocialProvider(form)).toMatchObject({ ok: true });
    expect(state.changes).toHaveLength(1);
    expect(state.changes[0]?.set).toContainEqual({ key: "social.providers.acme.client_secret", value: "top-secret", secret: true });
    expect(state.changes[0]?.remove).toEqual(["social.providers.acme.mapper"]);
    expect(state.events[0]).toMatchObject({ action: "settings.social_provider.save", outcome: "success", target: "social provider acme" });
    expect(JSON.stringify(state.events)).not.toContain("top-secret");
  });

  it("refuses a second provider with the same id beside the id field", async () => {
    state.listing = [row("social.providers.acme.label", "Acme")];
    expect(await saveSocialProvider(form)).toMatchObject({
      ok: false,
      error: { fields: { id: "Provider id acme is already used by another provider" } },
    });
  });

  it("keeps the stored secret when the field is left blank on edit", async () => {
    state.listing = [
      row("social.providers.acme.label", "Acme"),
      row("social.providers.acme.issuer", form.issuer),
      row("social.providers.acme.client_id", form.clientId),
      row("social.providers.acme.client_secret", "••••", true),
    ];
    expect(await saveSocialProvider({ ...form, mode: "edit", clientSecret: "", mapper: "{}" })).toMatchObject({ ok: true });
    expect(state.changes[0]?.set.map((e) => e.key)).not.toContain("social.providers.acme.client_secret");
    expect(state.changes[0]?.set).toContainEqual({ key: "social.providers.acme.mapper", value: "{}", secret: false });
    expect(state.changes[0]?.remove).toEqual([]);
  });

  it("refuses a new issuer or client id with the stored secret kept: the secret would go to the new server", async () => {
    state.listing = [
      row("social.providers.acme.issuer", form.issuer),
      row("social.providers.acme.client_id", form.clientId),
      row("social.providers.acme.client_secret", "••••", true),
    ];
    expect(await saveSocialProvider({ ...form, mode: "edit", issuer: "https://idp.attacker.test", clientSecret: "" })).toMatchObject({
      ok: false,
      error: { fields: { issuer: "Enter the client secret again when the issuer or client id changes" } },
    });
    expect(state.changes).toEqual([]);
    expect(await saveSocialProvider({ ...form, mode: "edit", issuer: "https://idp.new.test", clientSecret: "typed-again" })).toMatchObject({
      ok: true,
    });
  });

  it("needs a secret on edit when none is stored", async () => {
    state.listing = [row("social.providers.acme.label", "Acme")];
    expect(await saveSocialProvider({ ...form, mode: "edit", clientSecret: "" })).toMatchObject({
      ok: false,
      error: { fields: { clientSecret: "Client secret must not be empty" } },
    });
  });

  it("removes every key of a provider in one change, and turns the domain switch off", async () => {
    state.listing = [row("social.providers.acme.label", "Acme"), row("social.providers.acme.issuer", "https://x.test")];
    expect(await removeSocialProvider({ id: "acme" })).toMatchObject({ ok: true });
    expect(state.changes[0]?.remove).toHaveLength(6);
    expect(await setSocialSignInEnabled({ enabled: false })).toMatchObject({ ok: true });
    expect(state.changes[1]?.set).toEqual([{ key: "social.enabled", value: "false", secret: false }]);
  });
});
