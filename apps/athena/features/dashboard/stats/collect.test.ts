import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startDomainStack, type DomainStack, type Person } from "@/shared/testing/ory-stack";
import { collectDashboardStats } from "./collect";

/**
 * The dashboard's figures as Athena CIAM computes them from the real parts:
 * the embedded Kratos and Hydra on PostgreSQL, reached through the SDK
 * admin clients. Sign-ups and sign-ins happen now (their times cannot be
 * set through Kratos' API); aggregate.test.ts covers the day and hour
 * arithmetic with a fixed clock.
 */
let pg: TestPostgres;
let stack: DomainStack;
let counter = 0;
const email = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}@example.com`;

/** Enrols backup codes through the native settings flow (selfservice/strategy/lookup_secret, settings: regenerate, then confirm). */
async function enrolBackupCodes(sessionToken: string): Promise<void> {
  const publicUrl = stack.kratos.publicUrl.replace(/\/$/, "");
  const headers = { "X-Session-Token": sessionToken, "Content-Type": "application/json", Accept: "application/json" };
  const flow = z.object({ id: z.string() }).parse(await (await fetch(`${publicUrl}/self-service/settings/api`, { headers })).json());
  for (const step of [{ lookup_secret_regenerate: true }, { lookup_secret_confirm: true }]) {
    const response = await fetch(`${publicUrl}/self-service/settings?flow=${flow.id}`, {
      method: "POST",
      headers,
      body: JSON.stringify({ method: "lookup_secret", ...step }),
    });
    if (response.status !== 200) throw new Error(`lookup_secret ${Object.keys(step)[0]}: ${response.status} ${await response.text()}`);
  }
}

let people: Person[];

beforeAll(async () => {
  pg = await startTestPostgres();
  stack = await startDomainStack(pg, "ciam");
  // Three customers of the `default` schema with a verified address (the stack's person), signed in 2, 1 and 0 times.
  people = [await stack.person(email("ada")), await stack.person(email("bob")), await stack.person(email("cy"))];
  const [ada, bob] = people as [Person, Person, Person];
  const adaToken = await stack.kratosSession(ada);
  await stack.kratosSession(ada);
  await stack.kratosSession(bob);
  await enrolBackupCodes(adaToken);
  // Two of the `customer` schema with an address never verified.
  for (const label of ["dee", "eve"]) await stack.kratosAdmin.createIdentity({ schema_id: "customer", traits: { email: email(label) } });
  // Clients: one signed in through (authorization_code + refresh_token), one machine client, one with no grant types.
  await stack.signInAtClient(ada);
  await stack.hydraAdmin.createClient({
    client_id: "machine",
    grant_types: ["client_credentials"],
    token_endpoint_auth_method: "client_secret_basic",
  });
  await stack.hydraAdmin.createClient({ client_id: "bare", redirect_uris: ["http://127.0.0.1:9/cb"] });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await pg?.stop();
});

describe("the dashboard's figures from the embedded Kratos and Hydra", () => {
  it("counts identities by schema, verified addresses, sign-ups and sign-ins today, and active users", async () => {
    const now = new Date();
    const stats = await collectDashboardStats({ kratos: stack.kratosAdmin, hydra: stack.hydraAdmin, now, limits: { pageSize: 2 } });
    expect(stats.totals).toEqual({ identities: 5, activeSessions: 3, oauth2Clients: 3, failedMessages: 0 });
    expect(stats.usersBySchema).toEqual([
      { schema: "default", count: 3 },
      { schema: "customer", count: 2 },
    ]);
    expect(stats.verification).toEqual({ verified: 3, total: 5, rate: 3 / 5 });
    expect(stats.daily.at(-1)).toEqual({ day: now.toISOString().slice(0, 10), signUps: 5, signIns: 3 });
    expect(stats.activeUsers).toEqual({ last7Days: 2, last30Days: 2 });
    expect(stats.peakHours[now.getUTCHours()]?.signIns ?? 0).toBeGreaterThanOrEqual(2);
    expect(stats.peakHours.reduce((n, h) => n + h.signIns, 0)).toBe(3);
    expect(stats.recentSignIns.map((s) => s.who).sort()).toEqual([people[0]?.email, people[0]?.email, people[1]?.email].sort());
    expect(stats.capped).toEqual({ identities: false, sessions: false, clients: false, messages: false });
  });

  it("finds MFA from the identities' credential types: backup codes enrolled through settings", async () => {
    const stats = await collectDashboardStats({ kratos: stack.kratosAdmin, hydra: stack.hydraAdmin, now: new Date() });
    expect(stats.mfa).toMatchObject({ identities: 5, withMfa: 1, rate: 1 / 5 });
    expect(stats.mfa.byMethod.find((m) => m.method === "lookup_secret")?.identities).toBe(1);
  });

  it("counts clients by grant type, a client without grant types as authorization_code (hydra client/client.go, GetGrantTypes)", async () => {
    const stats = await collectDashboardStats({ kratos: stack.kratosAdmin, hydra: stack.hydraAdmin, now: new Date() });
    expect(stats.grantTypes).toEqual([
      { grantType: "authorization_code", clients: 2 },
      { grantType: "client_credentials", clients: 1 },
      { grantType: "refresh_token", clients: 1 },
    ]);
  });

  // identity/handler.go parseListIdentitiesParameters: with include_credential the list itself carries each identity's credential types.
  it("counts MFA over every identity listed, page after page, without reading identities one by one", async () => {
    const listOnly = {
      listIdentities: stack.kratosAdmin.listIdentities.bind(stack.kratosAdmin),
      listSessions: stack.kratosAdmin.listSessions.bind(stack.kratosAdmin),
      listCourierMessages: stack.kratosAdmin.listCourierMessages.bind(stack.kratosAdmin),
      getIdentity: () => Promise.reject(new Error("the dashboard must not read identities one by one")),
    };
    const stats = await collectDashboardStats({ kratos: listOnly, hydra: stack.hydraAdmin, now: new Date(), limits: { pageSize: 2 } });
    expect(stats.mfa).toMatchObject({ identities: 5, withMfa: 1, rate: 1 / 5 });
  });

  it("stops each scan at its cap and says so: totals and MFA adoption become figures over the first identities", async () => {
    const stats = await collectDashboardStats({
      kratos: stack.kratosAdmin,
      hydra: stack.hydraAdmin,
      now: new Date(),
      limits: { identities: 3, sessions: 2, pageSize: 2 },
    });
    expect(stats.totals.identities).toBe(3);
    expect(stats.mfa.identities).toBe(3);
    expect(stats.capped).toMatchObject({ identities: true, sessions: true, clients: false });
    expect(stats.daily.at(-1)?.signIns).toBe(2);
  });
});
