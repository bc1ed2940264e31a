import type { LoginFlow, RegistrationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { BrowserClient, csrfOf, expectFailure, inputAttributes, nodeNamed } from "../../../testing/second-factor";
import { parseCreationOptions, parseRequestOptions, SoftwareAuthenticator } from "./testing/software-authenticator";

/**
 * Security keys as a first factor (CIAM config, `passwordless: true`)
 * answered as Kratos v26.2 answers: selfservice/strategy/webauthn/
 * registration.go (Register), login.go (loginPasswordless), settings.go.
 */
const ORIGIN = "http://ciam.localhost:3000";
const RP_ID = "ciam.localhost";

describe("WebAuthn first factor: Kratos' answers at sign-up, sign-in and in settings", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_webauthn_answers")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function registrationFlow() {
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserRegistrationFlow());
    const options = parseCreationOptions(String(inputAttributes(flow.ui.nodes, "webauthn_register_trigger")?.value));
    const submit = (body: Record<string, unknown>) =>
      browser.call((f) =>
        f.updateRegistrationFlow({
          flow: flow.id,
          updateRegistrationFlowBody: { method: "webauthn", csrf_token: csrfOf(flow.ui.nodes), traits: {}, ...body },
        }),
      );
    return { browser, flow, options, submit };
  }

  const flowMessages = (failure: { data: Record<string, unknown> }) => (failure.data as unknown as RegistrationFlow).ui.messages ?? [];

  // Register: an empty webauthn_register is ErrStrategyNotResponsible, so no strategy signs the user up.
  it("answers a sign-up without a key response with 'no strategy'", async () => {
    const { submit } = await registrationFlow();
    const failure = await expectFailure(submit({ traits: { email: uniqueEmail("nokey") }, webauthn_register: "" }));
    expect(failure.status).toBe(400);
    expect(flowMessages(failure).map((m) => m.id)).toEqual([4010003]);
  });

  // Register: registration.DecodeBody checks a given `traits` against the identity schema first; the answer is then
  // parsed (400, go-webauthn's Details after the colon) and verified before validateCredentials checks the traits.
  it("checks given traits, then the key's answer, and keeps the flow's options after a failure", async () => {
    const { submit, options } = await registrationFlow();
    const badTraits = await expectFailure(submit({ traits: { email: "not-an-email" }, webauthn_register: "{" }));
    expect(badTraits.status).toBe(400);
    expect(nodeNamed((badTraits.data as unknown as RegistrationFlow).ui.nodes, "traits.email")?.messages.map((m) => m.id)).toEqual([
      4000040,
    ]);
    expect(flowMessages(badTraits)).toEqual([]);

    const failure = await expectFailure(submit({ traits: { email: uniqueEmail("parse") }, webauthn_register: "{" }));
    const reason = "Unable to parse WebAuthn response: Parse error for Registration";
    expect(flowMessages(failure)).toEqual([{ id: 4000001, text: reason, type: "error", context: { reason } }]);
    // protocol/credential.go Parse: a response without `response` fails in AuthenticatorAttestationResponse.Parse.
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const { response: _response, ...withoutResponse } = JSON.parse(key.create(options)) as Record<string, unknown>;
    const noResponse = await expectFailure(
      submit({ traits: { email: uniqueEmail("parse") }, webauthn_register: JSON.stringify(withoutResponse) }),
    );
    expect(noResponse.status).toBe(400);
    expect(flowMessages(noResponse).map((m) => m.text)).toEqual(["Unable to parse WebAuthn response: Error parsing attestation response"]);

    // injectWebauthnRegistrationOptions: the options (and the user handle) made for the flow answer after the failure.
    const email = uniqueEmail("signup");
    const { data } = await submit({
      traits: { email },
      webauthn_register: key.create(options),
      webauthn_register_displayname: "  My laptop  ",
    });
    expect(Buffer.from(options.publicKey.user.id, "base64url").toString("hex")).toBe(data.identity.id.replace(/-/g, ""));
    // credentialWebAuthn.DisplayName = p.RegisterDisplayName: as sent.
    const { data: stored } = await kratos.identity.getIdentity({ id: data.identity.id, includeCredential: ["webauthn"] });
    const config = stored.credentials?.webauthn?.config as { credentials: Record<string, unknown>[] };
    expect(config.credentials[0]).toMatchObject({ display_name: "  My laptop  ", is_passwordless: true, attestation_type: "none" });
    expect(config.credentials[0]).not.toHaveProperty("transport");
  });

  // registration.go Register: decode (traits against the identity schema) comes before flow.EnsureCSRF, so refused
  // traits with a bad CSRF token get the flow's 400 with the traits' messages; valid traits get the CSRF error.
  it("answers refused traits before a bad CSRF token, and nothing is created", async () => {
    const { browser, flow, options } = await registrationFlow();
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const send = (traits: object) =>
      browser.call((f) =>
        f.updateRegistrationFlow({
          flow: flow.id,
          updateRegistrationFlowBody: {
            method: "webauthn",
            csrf_token: "bm90LXRoZS10b2tlbg==",
            traits,
            webauthn_register: key.create(options),
          },
        }),
      );
    const invalid = await expectFailure(send({ email: "not-an-email" }));
    expect(invalid.status).toBe(400);
    expect(nodeNamed((invalid.data as unknown as RegistrationFlow).ui.nodes, "traits.email")?.messages.map((m) => m.id)).toEqual([4000040]);
    const email = uniqueEmail("csrf-webauthn");
    const valid = await expectFailure(send({ email }));
    expect(valid.status).toBe(403);
    expect((valid.data as { error?: { id?: string } }).error?.id).toBe("security_csrf_violation");
    const { data: found } = await kratos.identity.listIdentities({ credentialsIdentifier: email });
    expect(found).toEqual([]);
  });

  async function customerWithKeyOnly() {
    const { browser, options, submit } = await registrationFlow();
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const email = uniqueEmail("keyonly");
    const { data } = await submit({ traits: { email }, webauthn_register: key.create(options) });
    return { browser, key, email, id: data.identity.id };
  }

  // PopulateSettingsMethod / continueSettingsFlowRemove count every strategy's first factors (identity manager): the
  // code strategy counts one for everybody once passwordless codes are on, so the only key can go.
  it("lets the only key go while passwordless codes are on", async () => {
    const { browser, key, id } = await customerWithKeyOnly();
    const { data: flow } = await browser.call((f) => f.createBrowserSettingsFlow());
    expect(inputAttributes(flow.ui.nodes, "webauthn_remove")).toMatchObject({ disabled: false });
    const { data: removed } = await browser.call((f) =>
      f.updateSettingsFlow({
        flow: flow.id,
        updateSettingsFlowBody: {
          method: "webauthn",
          csrf_token: csrfOf(flow.ui.nodes),
          webauthn_remove: key.credentialId.toString("hex"),
        },
      }),
    );
    expect(removed.state).toBe("success");
    const { data: stored } = await kratos.identity.getIdentity({ id, includeCredential: ["webauthn"] });
    // DeleteCredentialsType, then the schema extension gives the identifier back its empty credential.
    expect(stored.credentials?.webauthn).toMatchObject({ config: {}, version: 0 });
  });

  // login.schema.json requires a non-empty identifier; loginPasswordless looks the identity up by the identifier sent,
  // at both steps.
  it("refuses an empty identifier and signs in only the identity the identifier names", async () => {
    const { key, email } = await customerWithKeyOnly();
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserLoginFlow());
    const login = (body: { identifier: string; webauthn_login?: string }) =>
      browser.call((f) =>
        f.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "webauthn", csrf_token: csrfOf(flow.ui.nodes), ...body } }),
      );
    const empty = await expectFailure(login({ identifier: "" }));
    expect(nodeNamed((empty.data as unknown as LoginFlow).ui.nodes, "identifier")?.messages.map((m) => m.id)).toEqual([4000003]);

    await expectFailure(login({ identifier: ` ${email.toUpperCase()} ` }));
    const { data: withKey } = await browser.call((f) => f.getLoginFlow({ id: flow.id }));
    // The hidden identifier is the one sent, untrimmed.
    expect(inputAttributes(withKey.ui.nodes, "identifier")?.value).toBe(` ${email.toUpperCase()} `);
    const options = parseRequestOptions(String(inputAttributes(withKey.ui.nodes, "webauthn_login_trigger")?.value));
    const other = await expectFailure(login({ identifier: "nobody@example.com", webauthn_login: key.get(options) }));
    expect(flowMessages(other).map((m) => m.id)).toContain(4000015);
  });

  // PopulateLoginMethodFirstFactorRefresh (populateLoginMethodRefresh): the session identity's keys at once, labelled
  // 1010008, its identifier hidden; loginAuthenticate then accepts any of its keys.
  it("offers a refresh the signed-in identity's keys directly", async () => {
    const { browser, key, email } = await customerWithKeyOnly();
    const { data: flow } = await browser.call((f) => f.createBrowserLoginFlow({ refresh: true }));
    const webauthnNodes = flow.ui.nodes
      .filter((n) => n.group === "webauthn")
      .map((n) => ("name" in n.attributes ? n.attributes.name : n.attributes.id));
    expect(webauthnNodes.sort()).toEqual(["webauthn_login", "webauthn_login_trigger", "webauthn_script"]);
    expect(nodeNamed(flow.ui.nodes, "webauthn_login_trigger")?.meta.label?.id).toBe(1010008);
    expect(inputAttributes(flow.ui.nodes, "identifier")).toMatchObject({ type: "hidden", value: email });
    const options = parseRequestOptions(String(inputAttributes(flow.ui.nodes, "webauthn_login_trigger")?.value));
    const { data } = await browser.call((f) =>
      f.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "webauthn", csrf_token: csrfOf(flow.ui.nodes), identifier: email, webauthn_login: key.get(options) },
      }),
    );
    expect(data.session.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
      ["webauthn", "aal1"],
      ["webauthn", "aal1"],
    ]);
  });

  // Login, Register and Settings: `f.Type != flow.TypeBrowser` is ErrStrategyNotResponsible, and the Populate* methods
  // add nothing to API flows. Already so before; pinned here.
  it("is neither offered to nor accepted from native (API) flows", async () => {
    const { data: registration } = await kratos.frontend.createNativeRegistrationFlow();
    expect(registration.ui.nodes.filter((n) => n.group === "webauthn")).toEqual([]);
    const signUp = await expectFailure(
      kratos.frontend.updateRegistrationFlow({
        flow: registration.id,
        updateRegistrationFlowBody: { method: "webauthn", traits: { email: uniqueEmail("api") }, webauthn_register: "{}" },
      }),
    );
    expect(signUp.status).toBe(400);
    expect(flowMessages(signUp).map((m) => m.id)).toEqual([4010003]);

    const { data: login } = await kratos.frontend.createNativeLoginFlow();
    expect(login.ui.nodes.filter((n) => n.group === "webauthn")).toEqual([]);
    const signIn = await expectFailure(
      kratos.frontend.updateLoginFlow({
        flow: login.id,
        updateLoginFlowBody: { method: "webauthn", identifier: "someone@example.com", webauthn_login: "{}" },
      }),
    );
    expect(signIn.status).toBe(400);
    expect(flowMessages(signIn).map((m) => m.id)).toEqual([4010002]);
  });
});
