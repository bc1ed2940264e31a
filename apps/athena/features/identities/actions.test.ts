import type { AuditEventInput } from "@olympus/athena-store/audit";
import type { Domain } from "@olympus/runtime-config/config";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Admin } from "@/shared/auth/session";
import { startDomainStack, type DomainStack } from "@/shared/testing/ory-stack";

/**
 * Athena's identity actions against the real parts: the embedded Kratos and
 * Hydra of each domain on PostgreSQL, reached through the same SDK clients
 * Athena uses. Mocked: who is signed in, the audit log's storage and the
 * instance's domain.
 */
const state: { domain: Domain; admin: Admin; events: AuditEventInput[]; stacks: Partial<Record<Domain, DomainStack>> } = {
  domain: "ciam",
  admin: { id: "00000000-0000-4000-8000-00000000a11a", email: "admin@olympus.local", name: null, role: "admin" },
  events: [],
  stacks: {},
};
const stack = (): DomainStack => {
  const current = state.stacks[state.domain];
  if (!current) throw new Error(`no ${state.domain} stack`);
  return current;
};
vi.mock("@/shared/auth/session", () => ({
  currentSession: async () => ({ status: "active", admin: state.admin }),
  currentAdmin: async () => state.admin,
}));
vi.mock("@/shared/server/audit", () => ({ recordAudit: async (event: AuditEventInput) => void state.events.push(event) }));
vi.mock("@/shared/server/olympus-db", () => ({ auditLog: async () => ({}) }));
vi.mock("@/shared/server/config", () => ({ athenaConfig: () => ({ domain: state.domain }) }));
vi.mock("@/shared/server/ory", () => ({ kratosAdmin: () => stack().kratosAdmin, hydraAdmin: () => stack().hydraAdmin }));

const { deleteIdentity, revokeIdentitySessions, setAdminRole, setIdentityState, updateMetadata } = await import("./actions");

let pg: TestPostgres;
let counter = 0;
const email = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}@example.com`;

beforeAll(async () => {
  pg = await startTestPostgres();
  const [ciam, iam] = await Promise.all([startDomainStack(pg, "ciam"), startDomainStack(pg, "iam")]);
  state.stacks = { ciam, iam };
}, 120_000);
afterAll(async () => {
  await Promise.all(Object.values(state.stacks).map((s) => s.close()));
  await pg?.stop();
});
beforeEach(() => {
  state.domain = "ciam";
  state.admin = { ...state.admin, role: "admin" };
  state.events = [];
});

/** A signed-in customer: a Kratos session, and an OAuth2 client holding its tokens with the login remembered by Hydra. */
async function signedInCustomer(label: string) {
  const person = await stack().person(email(label));
  const kratosSession = await stack().kratosSession(person);
  const client = await stack().signInAtClient(person);
  // Live before the action (introspection only: a refresh would rotate the token under test).
  expect(await stack().whoami(kratosSession)).toBe(200);
  expect(await client.isActive(client.refreshToken)).toBe(true);
  expect(await client.loginRemembered()).toBe(true);
  return { person, kratosSession, client };
}

async function expectEverythingRevoked(client: Awaited<ReturnType<typeof signedInCustomer>>["client"]) {
  expect(await client.refresh(), "the refresh token issued before still works at the token endpoint").not.toBe(200);
  expect(await client.isActive(client.refreshToken)).toBe(false);
  expect(await client.isActive(client.accessToken)).toBe(false);
  expect(await client.loginRemembered(), "Hydra still remembers the login").toBe(false);
}

describe("revocation that revokes (Athena CIAM)", () => {
  it("deactivating ends the Kratos sessions, Hydra's login and consent sessions, and every token — for good", async () => {
    const { person, kratosSession, client } = await signedInCustomer("deactivate");
    expect(await setIdentityState({ id: person.id, state: "inactive" })).toMatchObject({ ok: true });
    expect(await stack().whoami(kratosSession)).toBe(401);
    await expectEverythingRevoked(client);

    expect(await setIdentityState({ id: person.id, state: "active" })).toMatchObject({ ok: true });
    expect(await client.refresh(), "re-activation brought the old token back").not.toBe(200);
    expect(state.events.map((e) => [e.action, e.outcome, e.details])).toEqual([
      ["identity.set_state", "success", { state: "inactive", revoked: ["kratos_sessions", "hydra_consents", "hydra_login_sessions"] }],
      ["identity.set_state", "success", { state: "active" }],
    ]);
  });

  it("deleting revokes the subject's Hydra consents, tokens and login sessions too", async () => {
    const { person, client } = await signedInCustomer("delete");
    expect(await deleteIdentity({ id: person.id, confirmation: person.email })).toMatchObject({ ok: true });
    expect(await stack().kratosAdmin.getIdentity(person.id)).toBeUndefined();
    await expectEverythingRevoked(client);
  });

  it("a wrong confirmation deletes and revokes nothing", async () => {
    const { person, client } = await signedInCustomer("delete-typo");
    expect(await deleteIdentity({ id: person.id, confirmation: "someone@else.example" })).toMatchObject({
      ok: false,
      error: { code: "rejected" },
    });
    expect(await client.isActive(client.refreshToken)).toBe(true);
    expect((await stack().kratosAdmin.getIdentity(person.id))?.state).toBe("active");
  });

  it("revoking all sessions ends the Kratos sessions and the Hydra consents, tokens and logins", async () => {
    const { person, kratosSession, client } = await signedInCustomer("revoke");
    expect(await revokeIdentitySessions({ id: person.id })).toMatchObject({ ok: true });
    expect(await stack().whoami(kratosSession)).toBe(401);
    await expectEverythingRevoked(client);
    expect((await stack().kratosAdmin.getIdentity(person.id))?.state).toBe("active");
  });
});

describe("Athena roles: only an Athena IAM admin changes them", () => {
  it("sets metadata_admin.iam_admin_role, keeps the other admin metadata, and ends the subject's IAM Hydra consents and logins", async () => {
    state.domain = "iam";
    const employee = await stack().person(email("promote"), { team: "ops" });
    const client = await stack().signInAtClient(employee);

    expect(await setAdminRole({ id: employee.id, role: "viewer" })).toMatchObject({ ok: true, data: { role: "viewer" } });
    expect((await stack().kratosAdmin.getIdentity(employee.id))?.metadata_admin).toEqual({ team: "ops", iam_admin_role: "viewer" });
    await expectEverythingRevoked(client);

    expect(await setAdminRole({ id: employee.id, role: null })).toMatchObject({ ok: true, data: { role: null } });
    expect((await stack().kratosAdmin.getIdentity(employee.id))?.metadata_admin).toEqual({ team: "ops" });
    expect(state.events.map((e) => [e.action, e.target, e.outcome, e.details])).toEqual([
      ["identity.set_role", employee.id, "success", { from: null, to: "viewer", revoked: ["hydra_consents", "hydra_login_sessions"] }],
      ["identity.set_role", employee.id, "success", { from: "viewer", to: null, revoked: ["hydra_consents", "hydra_login_sessions"] }],
    ]);
  });

  it("gives a role to an employee with no admin metadata at all", async () => {
    state.domain = "iam";
    const employee = await stack().person(email("first-role"));
    expect(await setAdminRole({ id: employee.id, role: "admin" })).toMatchObject({ ok: true });
    expect((await stack().kratosAdmin.getIdentity(employee.id))?.metadata_admin).toEqual({ iam_admin_role: "admin" });
  });

  it("refuses on Athena CIAM, for a viewer, for one's own role, and an unknown role — changing nothing", async () => {
    state.domain = "iam";
    const employee = await stack().person(email("untouched"), { iam_admin_role: "viewer" });
    const client = await stack().signInAtClient(employee);

    state.domain = "ciam";
    expect(await setAdminRole({ id: employee.id, role: "admin" })).toMatchObject({ ok: false, error: { code: "rejected" } });
    state.domain = "iam";
    state.admin = { ...state.admin, role: "viewer" };
    expect(await setAdminRole({ id: employee.id, role: "admin" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    state.admin = { ...state.admin, id: employee.id, role: "admin" };
    expect(await setAdminRole({ id: employee.id, role: "admin" })).toMatchObject({ ok: false, error: { code: "rejected" } });
    expect(await setAdminRole({ id: employee.id, role: "root" as never })).toMatchObject({ ok: false, error: { code: "invalid_input" } });

    expect((await stack().kratosAdmin.getIdentity(employee.id))?.metadata_admin).toEqual({ iam_admin_role: "viewer" });
    expect(await client.isActive(client.refreshToken)).toBe(true);
  });
});

describe("the metadata form", () => {
  it("saves metadata of an identity that had none (Kratos omits unset admin metadata, so the patch adds it)", async () => {
    const customer = await stack().person(email("metadata"));
    const saved = await updateMetadata({
      id: customer.id,
      metadataPublic: '{"plan":"pro"}',
      metadataAdmin: '{"customer_id":"C-1001","loyalty_tier":"gold"}',
    });
    expect(saved).toMatchObject({ ok: true });
    expect(await stack().kratosAdmin.getIdentity(customer.id)).toMatchObject({
      metadata_public: { plan: "pro" },
      metadata_admin: { customer_id: "C-1001", loyalty_tier: "gold" },
    });
  });

  it("holds CIAM business attributes to their rules", async () => {
    const customer = await stack().person(email("business"));
    const refused = await updateMetadata({
      id: customer.id,
      metadataPublic: "",
      metadataAdmin: '{"loyalty_tier":"diamond","customer_id":"x"}',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: "rejected", message: expect.stringMatching(/loyalty_tier|customer_id/) } });
    expect((await stack().kratosAdmin.getIdentity(customer.id))?.metadata_admin ?? null).toBeNull();
  });

  it("cannot change an Athena role on IAM (that is the role form's job, which also ends the person's logins)", async () => {
    state.domain = "iam";
    const employee = await stack().person(email("sneaky"), { iam_admin_role: "viewer" });
    const promoted = await updateMetadata({ id: employee.id, metadataPublic: "", metadataAdmin: '{"iam_admin_role":"admin"}' });
    expect(promoted).toMatchObject({ ok: false, error: { code: "rejected" } });
    const dropped = await updateMetadata({ id: employee.id, metadataPublic: "", metadataAdmin: "" });
    expect(dropped).toMatchObject({ ok: false, error: { code: "rejected" } });
    // Other admin metadata can change, the role staying as it is.
    expect(
      await updateMetadata({ id: employee.id, metadataPublic: "", metadataAdmin: '{"iam_admin_role":"viewer","team":"ops"}' }),
    ).toMatchObject({ ok: true });
    expect((await stack().kratosAdmin.getIdentity(employee.id))?.metadata_admin).toEqual({ iam_admin_role: "viewer", team: "ops" });
  });
});
