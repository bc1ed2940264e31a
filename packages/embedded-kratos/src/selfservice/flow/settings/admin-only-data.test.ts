import type { Identity, LoginFlow, SettingsFlow } from "@ory/client";
import { generateSync } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { csrfOf, expectFailure } from "../../../testing/flow-json";
import {
  CIAM_CONFIG,
  IAM_CONFIG,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { apiPasswordLogin, nodeNamed } from "../../../testing/second-factor";

/**
 * Athena authorises on `metadata_admin.iam_admin_role`, which only the admin
 * API may write. These tests hold the IAM Kratos to that: a trait outside the
 * `admin` schema is refused wherever traits are written, and no self-service
 * settings method — whatever else its body carries — changes an identity's
 * metadata.
 */

const SELF_GRANT = { iam_admin_role: "admin" } as const;
const NAME = { first: "Rita", last: "Roleless" };
/** Something an administrator stored, which settings must leave exactly as it is. */
const STORED_ADMIN_METADATA = { department: "finance" };

describe("IAM Kratos: an employee cannot give themselves an Athena role", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("iam_admin_only_data", { configPath: IAM_CONFIG })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function createRolelessEmployee(): Promise<{ id: string; email: string }> {
    const email = uniqueEmail("roleless");
    const { data } = await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "admin",
        traits: { email, name: NAME },
        metadata_admin: STORED_ADMIN_METADATA,
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    return { id: data.id, email };
  }

  const whoamiByToken = (token: string) => async () => (await kratos.frontend.toSession({ xSessionToken: token })).data.identity;
  const whoamiByBrowser = (browser: TestBrowser) => async () => {
    const answer = await browser.request(`${kratos.publicUrl}/sessions/whoami`);
    expect(answer.status).toBe(200);
    return (answer.body as { identity?: Identity }).identity;
  };

  /** What Athena (admin API) and Hera (whoami) would see of the identity. */
  async function expectNoRole(id: string, whoami: () => Promise<Identity | undefined>): Promise<void> {
    const { data: stored } = await kratos.identity.getIdentity({ id });
    expect(stored.traits).not.toHaveProperty("iam_admin_role");
    expect(stored.metadata_admin).toEqual(STORED_ADMIN_METADATA);
    expect(stored.metadata_public ?? null).toBeNull();
    const seen = await whoami();
    expect(seen?.traits).not.toHaveProperty("iam_admin_role");
    expect(seen?.metadata_public ?? null).toBeNull();
    // The admin-only half never leaves the admin API.
    expect(seen).not.toHaveProperty("metadata_admin");
  }

  it("refuses the role as a trait on the admin API: create, update and patch", async () => {
    const created = await expectFailure(
      kratos.identity.createIdentity({
        createIdentityBody: { schema_id: "admin", traits: { email: uniqueEmail("trait"), name: NAME, ...SELF_GRANT } },
      }),
    );
    expect(created.status).toBe(400);

    const { id, email } = await createRolelessEmployee();
    const updated = await expectFailure(
      kratos.identity.updateIdentity({
        id,
        updateIdentityBody: { schema_id: "admin", state: "active", traits: { email, name: NAME, ...SELF_GRANT } },
      }),
    );
    expect(updated.status).toBe(400);
    const patched = await expectFailure(
      kratos.identity.patchIdentity({ id, jsonPatch: [{ op: "add", path: "/traits/iam_admin_role", value: "admin" }] }),
    );
    expect(patched.status).toBe(400);
    const { data: stored } = await kratos.identity.getIdentity({ id });
    expect(stored.traits).toEqual({ email, name: NAME });
  });

  it("ignores role and metadata in every settings method's body (API flows, JSON)", async () => {
    const { id, email } = await createRolelessEmployee();
    const token = await apiPasswordLogin(kratos, email);
    const me = whoamiByToken(token);
    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const submit = async (body: Record<string, unknown>): Promise<{ status: number; body: SettingsFlow }> => {
      const response = await fetch(`${kratos.publicUrl}/self-service/settings?flow=${flow.id}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-Session-Token": token },
        // Every submission also tries the admin-only fields and a role trait.
        body: JSON.stringify({
          traits: { email, name: NAME, ...SELF_GRANT },
          metadata_admin: SELF_GRANT,
          metadata_public: SELF_GRANT,
          ...body,
        }),
      });
      return { status: response.status, body: (await response.json()) as SettingsFlow };
    };

    // profile: the role trait is not in the schema, so the whole change is refused.
    const withRoleTrait = await submit({ method: "profile" });
    expect(withRoleTrait.status).toBe(400);
    expect(withRoleTrait.body.state).toBe("show_form");
    await expectNoRole(id, me);

    // profile with valid traits succeeds, and still ignores metadata_admin / metadata_public.
    const renamed = await submit({ method: "profile", traits: { email, name: { first: "Rita", last: "Renamed" } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.state).toBe("success");
    await expectNoRole(id, me);

    const password = await submit({ method: "password", password: "another-long-passphrase-77" });
    expect(password.status).toBe(200);
    await expectNoRole(id, me);

    const regenerated = await submit({ method: "lookup_secret", lookup_secret_regenerate: true });
    expect(regenerated.status).toBe(200);
    const confirmed = await submit({ method: "lookup_secret", lookup_secret_confirm: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe("success");
    await expectNoRole(id, me);

    // Methods that fail (bad ceremony) or that IAM does not offer in settings.
    // passkey and oidc are off in IAM: Kratos asks every known strategy (AllSettingsStrategies), and passkey's
    // and oidc's Settings refuse a submission of theirs with the disabled endpoint's 404
    // (flow/request.go MethodEnabledAndAllowed; oidc/strategy_settings.go Settings).
    for (const [body, status] of [
      [{ method: "webauthn", webauthn_register: "{}", webauthn_register_displayname: "key" }, 400],
      [{ method: "passkey", passkey_settings_register: "{}" }, 404],
      [{ method: "code", code: "123456" }, 400],
      [{ method: "oidc", link: "google" }, 404],
      [{ method: "saml", link: "corp" }, 400],
      [{ method: "metadata" }, 400],
      [{}, 400],
    ] as const) {
      const refused = await submit(body);
      expect([body, refused.status]).toEqual([body, status]);
      await expectNoRole(id, me);
    }

    // totp, successfully enrolled.
    const { data: fresh } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const secretText = nodeNamed(fresh.ui.nodes, "totp_secret_key")?.attributes as { text?: { context?: { secret?: string } } } | undefined;
    const secret = String(secretText?.text?.context?.secret ?? "");
    const totp = await fetch(`${kratos.publicUrl}/self-service/settings?flow=${fresh.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-Session-Token": token },
      body: JSON.stringify({
        method: "totp",
        totp_code: generateSync({ secret }),
        traits: { email, name: NAME, ...SELF_GRANT },
        metadata_admin: SELF_GRANT,
        metadata_public: SELF_GRANT,
      }),
    });
    expect(totp.status).toBe(200);
    await expectNoRole(id, me);
  });

  it("ignores role and metadata fields of browser form posts (profile and password)", async () => {
    const { id, email } = await createRolelessEmployee();
    const browser = new TestBrowser();
    const json = { Accept: "application/json" };
    const login = (await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: json })).body as LoginFlow;
    const signedIn = await browser.request(`${kratos.publicUrl}/self-service/login?flow=${login.id}`, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(login) },
    });
    expect(signedIn.status).toBe(200);
    const me = whoamiByBrowser(browser);

    const settings = (await browser.request(`${kratos.publicUrl}/self-service/settings/browser`, { headers: json })).body as SettingsFlow;
    const adminOnlyFields = {
      "traits.iam_admin_role": "admin",
      "metadata_admin.iam_admin_role": "admin",
      "metadata_public.iam_admin_role": "admin",
      metadata_admin: JSON.stringify(SELF_GRANT),
      metadata_public: JSON.stringify(SELF_GRANT),
    };
    const forms: Record<string, string>[] = [
      { method: "profile", "traits.email": email, "traits.name.first": "Rita", "traits.name.last": "Form" },
      { method: "password", password: "a-third-long-passphrase-55" },
    ];
    for (const form of forms) {
      const posted = await browser.request(`${kratos.publicUrl}/self-service/settings?flow=${settings.id}`, {
        form: { ...form, ...adminOnlyFields, csrf_token: csrfOf(settings) },
      });
      expect(posted.status).toBe(303);
      await expectNoRole(id, me);
    }
  });
});

describe("CIAM Kratos: a customer cannot set their own business attributes", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const BUSINESS = { customer_id: "C-0001", loyalty_tier: "platinum" };

  beforeAll(
    async () =>
      ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_only_data", {
        configPath: CIAM_CONFIG,
        // Sign-up may name the customer schema only when it is selfservice_selectable (config.SelfServiceFlowIdentitySchema).
        configOverrides: {
          identity: {
            default_schema_id: "default",
            schemas: [
              { id: "default", url: "file:///etc/config/kratos/identity.default.schema.json" },
              { id: "customer", url: "file:///etc/config/kratos/identity.customer.schema.json", selfservice_selectable: true },
              { id: "company", url: "file:///etc/config/kratos/identity.company.schema.json" },
            ],
          },
        },
      })),
  );
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("refuses customer_id and loyalty_tier as traits at sign-up, and ignores metadata in the body", async () => {
    const email = uniqueEmail("signup");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow({ identitySchema: "customer" });
    const action = `${kratos.publicUrl}/self-service/registration?flow=${flow.id}`;
    const withTraits = await post(action, { method: "password", password: STRONG_PASSWORD, traits: { email, ...BUSINESS } });
    expect(withTraits.status).toBe(400);
    expect((await kratos.identity.listIdentities({ credentialsIdentifier: email })).data).toEqual([]);

    const withMetadata = await post(action, {
      method: "password",
      password: STRONG_PASSWORD,
      traits: { email },
      metadata_admin: BUSINESS,
      metadata_public: BUSINESS,
    });
    expect(withMetadata.status).toBe(200);
    const [stored] = (await kratos.identity.listIdentities({ credentialsIdentifier: email })).data;
    expect(stored?.schema_id).toBe("customer");
    expect(stored?.metadata_admin ?? null).toBeNull();
    expect(stored?.metadata_public ?? null).toBeNull();

    const token = String((withMetadata.body as { session_token?: string }).session_token ?? "");
    const { data: settings } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const profile = await post(
      `${kratos.publicUrl}/self-service/settings?flow=${settings.id}`,
      { method: "profile", traits: { email, ...BUSINESS } },
      { "X-Session-Token": token },
    );
    expect(profile.status).toBe(400);
    const { data: after } = await kratos.identity.getIdentity({ id: stored?.id ?? "" });
    expect(after.traits).toEqual({ email });
  });
});
