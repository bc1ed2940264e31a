import type { AuditEventInput } from "@olympus/athena-store/audit";
import type { Domain } from "@olympus/runtime-config/config";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Admin } from "@/shared/auth/session";
import { startDomainStack, type DomainStack } from "@/shared/testing/ory-stack";

/**
 * The identity actions this feature added, against the real parts: the
 * embedded Kratos and Hydra on PostgreSQL, reached through the SDK clients
 * Athena uses. Mocked: who is signed in, the audit log's storage, the domain.
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
vi.mock("@/shared/auth/session", () => ({ currentSession: async () => ({ status: "active", admin: state.admin }) }));
vi.mock("@/shared/server/audit", () => ({ recordAudit: async (event: AuditEventInput) => void state.events.push(event) }));
vi.mock("@/shared/server/olympus-db", () => ({ auditLog: async () => ({}) }));
vi.mock("@/shared/server/config", () => ({ athenaConfig: () => ({ domain: state.domain }) }));
vi.mock("@/shared/server/ory", () => ({ kratosAdmin: () => stack().kratosAdmin, hydraAdmin: () => stack().hydraAdmin }));

const { createIdentity } = await import("./actions");
const { bulkDelete, bulkSetState } = await import("./list/bulk-actions");
const { removeCredential } = await import("./credentials/actions");
const { extendSession } = await import("./sessions/actions");

let pg: TestPostgres;
let counter = 0;
const email = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}@example.com`;

beforeAll(async () => {
  pg = await startTestPostgres();
  const [ciam, iam] = await Promise.all([
    startDomainStack(pg, "ciam"),
    // Kratos extends a session only within earliest_possible_extend of its expiry: IAM's whole lifespan here, so a fresh one qualifies.
    startDomainStack(pg, "iam", { kratosConfig: { session: { lifespan: "8h", earliest_possible_extend: "8h" } } }),
  ]);
  state.stacks = { ciam, iam };
}, 120_000);
afterAll(async () => {
  await Promise.all(Object.values(state.stacks).map((s) => s.close()));
  await pg?.stop();
});
beforeEach(() => {
  state.domain = "ciam";
  state.events = [];
});

describe("creating an identity whose email is taken", () => {
  it("names the email field (not a generic conflict) after Kratos' 409 (identity/handler.go, create)", async () => {
    const taken = email("taken");
    const created = await createIdentity({
      schemaId: "customer",
      traits: { email: taken, name: { first: "Ada", last: "L" } },
      invite: false,
    });
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    const again = await createIdentity({
      schemaId: "customer",
      traits: { email: taken.toUpperCase(), name: { first: "Ada", last: "L" } },
      invite: false,
    });
    expect(again).toEqual({
      ok: false,
      error: {
        code: "rejected",
        message: "An identity with this email exists already.",
        fields: { "traits.email": "An identity with this email exists already." },
      },
    });
    expect(state.events.map((e) => [e.action, e.outcome])).toEqual([
      ["identity.create", "success"],
      ["identity.create", "failure"],
    ]);
  });
});

describe("bulk actions", () => {
  it("deactivate and delete act on every selected identity and audit each one as its own target", async () => {
    const [a, b] = await Promise.all([stack().person(email("bulk-a")), stack().person(email("bulk-b"))]);
    const session = await stack().kratosSession(a);
    expect(await bulkSetState({ ids: [a.id, b.id], state: "inactive" })).toMatchObject({
      ok: true,
      data: { done: [a.id, b.id], failed: [] },
    });
    expect((await stack().kratosAdmin.getIdentity(a.id))?.state).toBe("inactive");
    expect((await stack().kratosAdmin.getIdentity(b.id))?.state).toBe("inactive");
    expect(await stack().whoami(session)).toBe(401);
    expect(state.events.map((e) => [e.action, e.target, e.outcome]).sort()).toEqual(
      [
        ["identity.set_state", a.id, "success"],
        ["identity.set_state", b.id, "success"],
      ].sort(),
    );

    state.events = [];
    expect(await bulkDelete({ ids: [a.id, b.id], confirmedCount: 1 })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fields: { confirmedCount: expect.any(String) } },
    });
    expect(await stack().kratosAdmin.getIdentity(a.id)).toBeDefined();
    expect(await bulkDelete({ ids: [a.id, b.id], confirmedCount: 2 })).toMatchObject({
      ok: true,
      message: "2 identities deleted; their sessions and tokens are revoked",
    });
    expect(await stack().kratosAdmin.getIdentity(a.id)).toBeUndefined();
    expect(await stack().kratosAdmin.getIdentity(b.id)).toBeUndefined();
    expect(
      state.events
        .filter((e) => e.action === "identity.delete" && e.outcome === "success")
        .map((e) => e.target)
        .sort(),
    ).toEqual([a.id, b.id].sort());
  });

  it("never deactivates the admin who asks, and says so while doing the rest", async () => {
    state.domain = "iam";
    const other = await stack().person(email("bulk-other"));
    const me = await stack().person(email("bulk-me"));
    const admin = state.admin;
    state.admin = { ...admin, id: me.id };
    try {
      const result = await bulkSetState({ ids: [me.id, other.id], state: "inactive" });
      expect(result).toMatchObject({
        ok: true,
        warning: true,
        data: { done: [other.id], failed: [{ target: me.id, message: expect.stringContaining("your own identity") }] },
      });
      expect((await stack().kratosAdmin.getIdentity(me.id))?.state).toBe("active");
    } finally {
      state.admin = admin;
    }
  });
});

describe("removing one credential", () => {
  it("unlinks a social sign-in through DELETE /admin/identities/{id}/credentials/oidc and audits the provider", async () => {
    const address = email("social");
    const created = await fetch(`${stack().kratos.adminUrl.replace(/\/$/, "")}/admin/identities`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        schema_id: "customer",
        traits: { email: address },
        credentials: {
          password: { config: { password: "a-long-test-password-2026" } },
          oidc: { config: { providers: [{ provider: "github", subject: "4242" }] } },
        },
      }),
    });
    const { id } = (await created.json()) as { id: string };
    expect(Object.keys((await stack().kratosAdmin.getIdentity(id))?.credentials ?? {})).toContain("oidc");
    expect(await removeCredential({ id, type: "oidc", identifier: "github:4242" })).toMatchObject({
      ok: true,
      message: "The social sign-in link was removed.",
    });
    // Kratos keeps the (now empty) oidc credential and drops the link's identifier (identity.go, deleteCredentialOIDCSAMLFromIdentity).
    const after = (await stack().kratosAdmin.getIdentity(id))?.credentials ?? {};
    expect(after.oidc?.identifiers ?? []).toEqual([]);
    expect(after.password?.identifiers).toEqual([address]);
    expect(state.events.at(-1)).toMatchObject({
      action: "identity.remove_credential",
      target: id,
      outcome: "success",
      details: { type: "oidc", provider: "github" },
    });
  });

  it("refuses what Kratos' admin API cannot remove before asking it", async () => {
    const person = await stack().person(email("passkey"));
    // @ts-expect-error -- passkeys are not removable through the admin API (identity/handler.go, deleteIdentityCredentials)
    expect(await removeCredential({ id: person.id, type: "passkey" })).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(await removeCredential({ id: person.id, type: "oidc" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fields: { identifier: expect.any(String) } },
    });
  });

  it("passes Kratos' own word on when there is nothing to remove", async () => {
    const person = await stack().person(email("no-totp"));
    expect(await removeCredential({ id: person.id, type: "totp" })).toMatchObject({ ok: false, error: { code: "rejected" } });
  });
});

describe("extending a session (session/handler.go, adminSessionExtend)", () => {
  it("extends a session inside Kratos' extend window and says until when", async () => {
    state.domain = "iam";
    const person = await stack().person(email("extend"));
    await stack().kratosSession(person);
    const [session] = await stack().kratosAdmin.listIdentitySessions(person.id);
    if (!session) throw new Error("no session");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const result = await extendSession({ sessionId: session.id });
    expect(result).toMatchObject({
      ok: true,
      data: { extended: true },
      message: expect.stringMatching(/^Session extended; it now expires /),
    });
    expect(Date.parse((await stack().kratosAdmin.getSession(session.id))?.expires_at ?? "")).toBeGreaterThan(
      Date.parse(session.expires_at ?? ""),
    );
    expect(state.events.at(-1)).toMatchObject({
      action: "session.extend",
      target: session.id,
      outcome: "success",
      details: { extended: true, identity: person.id },
    });
  });

  it("says so when Kratos leaves a session alone because it is not yet within earliest_possible_extend", async () => {
    const person = await stack().person(email("too-early"));
    await stack().kratosSession(person);
    const [session] = await stack().kratosAdmin.listIdentitySessions(person.id);
    if (!session) throw new Error("no session");
    const result = await extendSession({ sessionId: session.id });
    expect(result).toMatchObject({ ok: true, data: { extended: false }, message: expect.stringContaining("earliest_possible_extend") });
    expect((await stack().kratosAdmin.getSession(session.id))?.expires_at).toBe(session.expires_at);
  });
});
