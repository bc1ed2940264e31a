import { beforeEach, describe, expect, it, vi } from "vitest";
import type { OAuth2Client } from "@olympus/ory-client/admin";

// The actions' collaborators: an admin session, the audit log, Settings (the m2m policy's source) and Hydra.
const state: { settings: Map<string, string>; hydra: Map<string, OAuth2Client>; writes: OAuth2Client[] } = {
  settings: new Map(),
  hydra: new Map(),
  writes: [],
};
vi.mock("@/shared/auth/session", () => ({
  currentSession: async () => ({ status: "active", admin: { id: "a1", email: "admin@olympus.local", name: null, role: "admin" } }),
}));
vi.mock("@/shared/server/audit", () => ({ recordAudit: async () => undefined }));
vi.mock("@/shared/server/config", () => ({ athenaConfig: () => ({ domain: "ciam" }) }));
vi.mock("@/shared/server/olympus-db", () => ({
  auditLog: async () => ({}),
  settingsStore: async () => ({ get: async (key: string) => state.settings.get(key) }),
}));
vi.mock("@/shared/server/ory", () => ({
  hydraAdmin: () => ({
    createClient: async (client: OAuth2Client) => {
      state.writes.push(client);
      const created = { ...client, client_id: `client-${state.writes.length}` };
      state.hydra.set(created.client_id, created);
      return created;
    },
    getClient: async (id: string) => state.hydra.get(id),
    setClient: async (id: string, client: OAuth2Client) => {
      state.writes.push(client);
      state.hydra.set(id, { ...client, client_id: id });
      return client;
    },
  }),
}));

const { createM2MClient, createOAuth2Client, updateOAuth2Client } = await import("./actions");

const form = {
  name: "Warehouse sync",
  redirectUris: [],
  postLogoutRedirectUris: [],
  grantTypes: ["client_credentials" as const],
  scope: "orders:read",
  tokenEndpointAuthMethod: "client_secret_basic" as const,
  firstParty: false,
};

beforeEach(() => {
  state.settings = new Map([
    ["m2m.allowed_scopes", "orders:read inventory:read"],
    ["m2m.max_token_lifetime_minutes", "20"],
  ]);
  state.hydra.clear();
  state.writes = [];
});

describe("the m2m policy holds for every client with the client_credentials grant", () => {
  it("the generic create refuses a scope off the Settings allow-list and writes nothing", async () => {
    const result = await createOAuth2Client({ ...form, scope: "orders:read openid" });
    expect(result).toMatchObject({ ok: false, error: { code: "rejected", message: expect.stringContaining("allow-list: openid") } });
    expect(state.writes).toEqual([]);
  });

  it("the generic create refuses a lifetime over the Settings cap, and caps a client that names none", async () => {
    expect(await createOAuth2Client({ ...form, tokenLifetimeMinutes: 21 })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("at most 20 minutes") },
    });
    expect(await createOAuth2Client(form)).toMatchObject({ ok: true });
    expect(state.writes).toEqual([
      expect.objectContaining({ scope: "orders:read", client_credentials_grant_access_token_lifespan: "20m" }),
    ]);
  });

  it("the generic edit cannot add the grant with other scopes to an existing web client", async () => {
    state.hydra.set("web", {
      client_id: "web",
      grant_types: ["authorization_code"],
      scope: "openid",
      redirect_uris: ["https://shop.example.com/cb"],
    });
    const result = await updateOAuth2Client({
      ...form,
      clientId: "web",
      grantTypes: ["authorization_code", "client_credentials"],
      scope: "openid",
      redirectUris: ["https://shop.example.com/cb"],
    });
    expect(result).toMatchObject({ ok: false, error: { code: "rejected" } });
    expect(state.writes).toEqual([]);
  });

  it("the generic edit keeps an m2m client's lifetime bounded and drops it when the grant goes", async () => {
    state.hydra.set("m2m", {
      client_id: "m2m",
      grant_types: ["client_credentials"],
      scope: "orders:read",
      client_credentials_grant_access_token_lifespan: "10m0s",
    });
    expect(await updateOAuth2Client({ ...form, clientId: "m2m", scope: "inventory:read", tokenLifetimeMinutes: 5 })).toMatchObject({
      ok: true,
    });
    expect(state.writes.at(-1)).toMatchObject({ scope: "inventory:read", client_credentials_grant_access_token_lifespan: "5m" });
    const web = {
      ...form,
      clientId: "m2m",
      grantTypes: ["authorization_code" as const],
      scope: "openid",
      redirectUris: ["https://shop.example.com/cb"],
    };
    expect(await updateOAuth2Client(web)).toMatchObject({ ok: true });
    expect(state.writes.at(-1)?.client_credentials_grant_access_token_lifespan).toBeUndefined();
  });

  it("the M2M form goes through the same policy and sends its lifetime as Hydra's lifespan", async () => {
    expect(await createM2MClient({ name: "Billing", scopes: ["customers:read"], tokenLifetimeMinutes: 10 })).toMatchObject({ ok: false });
    expect(await createM2MClient({ name: "Billing", scopes: ["inventory:read"], tokenLifetimeMinutes: 10 })).toMatchObject({ ok: true });
    expect(state.writes).toEqual([
      expect.objectContaining({
        grant_types: ["client_credentials"],
        scope: "inventory:read",
        client_credentials_grant_access_token_lifespan: "10m",
        client_secret: expect.any(String),
      }),
    ]);
  });
});
