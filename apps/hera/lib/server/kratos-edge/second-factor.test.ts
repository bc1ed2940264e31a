import { generateSync } from "otplib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSettingsStore, deriveEncryptionKey } from "@olympus/athena-store/settings";
import { createApiFlow, createPerson, freshIp, STRONG_PASSWORD, submit, type FlowAnswer } from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeServer, type EdgeStack } from "@/lib/testing/edge-stack";
import { HIGHER_AAL_REQUIRED } from "./second-factor-gate";

/**
 * The MFA policy at Hera's edge, against the embedded CIAM Kratos (which,
 * like the real one, hands a native app a session token at aal1 when the
 * identity has no second factor: selfservice/flow/login/hook.go,
 * PostLoginHook's API branch, and session/manager_http.go
 * DoesSessionSatisfy with `highest_available`). The policy comes from the
 * settings Athena writes (the same store, the domain's own role), over the
 * CIAM defaults: not required.
 */
const KEY = deriveEncryptionKey("second-factor-edge-test-key-0123456789abcdef", "production");

describe("MFA policy for native sign-ins and enrolment at Hera's edge (CIAM)", () => {
  let stack: EdgeStack;
  let hera: EdgeServer;
  const settings = () => createSettingsStore({ pool: stack.db.pools.ciam, domain: "ciam", key: KEY });
  const setPolicy = (values: Record<string, string>) =>
    settings().set(
      Object.entries(values).map(([key, value]) => ({ key, value, secret: false })),
      "admin@example.com",
    );

  beforeAll(async () => {
    stack = await startEdgeStack("ciam", { mfaDefaults: { required: false, graceDays: 0 } });
    hera = stack.hera;
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async () => {
    await stack.db.superuser("TRUNCATE olympus_settings");
  });

  async function activeSessions(identityId: string): Promise<unknown[]> {
    return (await (await stack.admin("GET", `/admin/identities/${identityId}/sessions?active=true`)).json()) as unknown[];
  }

  // Kratos' answer shape: session.NewErrAALNotSatisfied (session/manager.go), as DoesSessionSatisfy returns it.
  it("refuses a native sign-in without a second factor once the settings require one, as Kratos refuses a session below aal2, and revokes it", async () => {
    const { id, email } = await createPerson(stack);
    await setPolicy({ "mfa.required": "on" });
    const answer = await apiPasswordLogin(hera, email);
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      error: expect.objectContaining({
        id: HIGHER_AAL_REQUIRED,
        code: 403,
        status: "Forbidden",
        details: { redirect_browser_to: `${hera.url}/settings` },
      }),
      redirect_browser_to: `${hera.url}/settings`,
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/session_token|ory_st_/);
    // The aal1 session Kratos created is gone, so a token that leaked anyway would be worthless.
    expect(await activeSessions(id)).toEqual([]);
  });

  it("lets the same sign-in through while the settings leave MFA off (CIAM's default) or the grace period runs", async () => {
    const { id, email } = await createPerson(stack);
    const off = await apiPasswordLogin(hera, email);
    expect(off.status).toBe(200);
    expect(off.body.session_token).toEqual(expect.any(String));

    await setPolicy({ "mfa.required": "on", "mfa.grace_days": "7" });
    const grace = await apiPasswordLogin(hera, email);
    expect(grace.status).toBe(200);
    expect(grace.body.session_token).toEqual(expect.any(String));
    expect(await activeSessions(id)).toHaveLength(2);
  });

  it("counts only a second factor of an allowed method: a TOTP device does not satisfy a policy that allows security keys only", async () => {
    const { email } = await createPerson(stack);
    const secret = await enrolTotp(hera, await tokenOf(await apiPasswordLogin(hera, email)));

    await setPolicy({ "mfa.required": "on", "mfa.allowed_methods": "webauthn" });
    // Kratos itself wants aal2 from someone with a device: its own answer (a token good for the step-up only) stands.
    const first = await apiPasswordLogin(hera, email);
    expect(first.status).toBe(200);
    expect((first.body.session as { identity?: unknown }).identity ?? null).toBeNull();
    const steppedUp = await apiTotpStepUp(hera, await tokenOf(first), generateSync({ secret }));
    expect(steppedUp.status).toBe(403);
    expect((steppedUp.body.error as { id?: string }).id).toBe(HIGHER_AAL_REQUIRED);

    await setPolicy({ "mfa.allowed_methods": "totp webauthn" });
    const allowed = await apiTotpStepUp(hera, await tokenOf(await apiPasswordLogin(hera, email)), generateSync({ secret }));
    expect(allowed.status).toBe(200);
    expect((allowed.body.session as { authenticator_assurance_level?: string }).authenticator_assurance_level).toBe("aal2");
  });

  it("offers for enrolment only the methods the settings allow, in every settings flow the edge relays", async () => {
    const { email } = await createPerson(stack);
    const token = await tokenOf(await apiPasswordLogin(hera, email));
    const groups = async () => {
      const response = await fetch(`${hera.kratos}/self-service/settings/api`, { headers: { "X-Session-Token": token } });
      const flow = (await response.json()) as { id: string; ui: { nodes: { group: string }[] } };
      const fetched = (await (
        await fetch(`${hera.kratos}/self-service/settings/flows?id=${flow.id}`, { headers: { "X-Session-Token": token } })
      ).json()) as { ui: { nodes: { group: string }[] } };
      return [new Set(flow.ui.nodes.map((n) => n.group)), new Set(fetched.ui.nodes.map((n) => n.group))];
    };
    for (const seen of await groups()) {
      expect(seen.has("totp")).toBe(true);
      // Unset: every method is offered (backup codes too: they only do not count as a device on their own).
      expect(seen.has("lookup_secret")).toBe(true);
    }
    await setPolicy({ "mfa.allowed_methods": "lookup_secret" });
    for (const seen of await groups()) {
      expect(seen.has("totp")).toBe(false);
      expect(seen.has("webauthn")).toBe(false);
      expect(seen.has("lookup_secret")).toBe(true);
    }
  });

  // With oauth2_provider.url set, Kratos accepts Hydra's login itself for a flow started with login_challenge
  // (selfservice/flow/login/hook.go, PostLoginHook: AcceptLoginRequest) — past Hera's decision and its MFA policy.
  it("sends a flow start carrying Hydra's login_challenge to Hera's own page instead of letting Kratos accept the login", async () => {
    const form = await fetch(`${hera.kratos}/self-service/login/browser?login_challenge=abc%20d`, { redirect: "manual" });
    expect(form.status).toBe(303);
    expect(form.headers.get("location")).toBe(`${hera.url}/login?login_challenge=abc%20d`);
    const ajax = await fetch(`${hera.kratos}/self-service/registration/browser?login_challenge=xyz`, {
      headers: { Accept: "application/json" },
      redirect: "manual",
    });
    expect(ajax.status).toBe(422);
    expect(await ajax.json()).toMatchObject({
      error: { id: "browser_location_change_required" },
      redirect_browser_to: `${hera.url}/registration?login_challenge=xyz`,
    });
    expect(hera.forwarded.filter((p) => p.endsWith("/browser"))).toEqual([]);
  });
});

async function apiPasswordLogin(hera: EdgeServer, email: string): Promise<FlowAnswer> {
  const headers = { "X-Forwarded-For": freshIp() };
  const flow = await createApiFlow(hera, "login", headers);
  return submit(hera, "login", flow, { method: "password", identifier: email, password: STRONG_PASSWORD }, headers);
}

async function apiTotpStepUp(hera: EdgeServer, token: string, code: string): Promise<FlowAnswer> {
  const headers = { "X-Session-Token": token, "X-Forwarded-For": freshIp() };
  const flow = await createApiFlow(hera, "login", headers, "?aal=aal2");
  return submit(hera, "login", flow, { method: "totp", totp_code: code }, headers);
}

async function tokenOf(answer: FlowAnswer): Promise<string> {
  const token = answer.body.session_token;
  if (typeof token !== "string") throw new Error(`no session token: ${answer.status} ${JSON.stringify(answer.body)}`);
  return token;
}

/** Sets up TOTP in a native settings flow; returns the secret. */
async function enrolTotp(hera: EdgeServer, token: string): Promise<string> {
  const headers = { "X-Session-Token": token };
  const settings = (await (await fetch(`${hera.kratos}/self-service/settings/api`, { headers })).json()) as {
    id: string;
    ui: { nodes: { attributes: { id?: string; text?: { context?: { secret?: string } } } }[] };
  };
  const secret = settings.ui.nodes.find((n) => n.attributes.id === "totp_secret_key")?.attributes.text?.context?.secret ?? "";
  const done = await submit(hera, "settings", settings.id, { method: "totp", totp_code: generateSync({ secret }) }, headers);
  if (done.status !== 200) throw new Error(`TOTP enrolment failed: ${done.status} ${JSON.stringify(done.body)}`);
  return secret;
}
