import type { UiNode, UiNodeInputAttributes } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratos, startKratosWithPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { BrowserClient, csrfOf, expectFailure, inputAttributes } from "../../../testing/second-factor";
import { parseCreationOptions, parseRequestOptions, SoftwareAuthenticator } from "../webauthn/testing/software-authenticator";

/**
 * The passkey strategy against Kratos v26.2 (selfservice/strategy/passkey:
 * passkey_registration.go, passkey_login.go, passkey_settings.go, nodes.go;
 * node lists as its .snapshots record them; driver/config PasskeyConfig).
 */
const ORIGIN = "http://ciam.localhost:3000";
const RP_ID = "ciam.localhost";
const PASSKEY = {
  selfservice: {
    methods: { passkey: { enabled: true, config: { rp: { id: RP_ID, display_name: "Olympus", origins: [ORIGIN] } } } },
    flows: { registration: { after: { passkey: { hooks: [{ hook: "session" }] } } } },
  },
};

const passkeyNodes = (nodes: UiNode[]) =>
  nodes.filter((n) => n.group === "passkey" || (n.type === "script" && n.group === "webauthn")).map((n) => n.attributes);
const valueOf = (nodes: UiNode[], name: string): string => String(inputAttributes(nodes, name)?.value ?? "");

describe("passkey strategy (Kratos selfservice/strategy/passkey)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let strict: TestKratos;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres("ciam_passkey", { configOverrides: PASSKEY }));
    // Without passwordless codes a passkey can be an identity's only way to sign in.
    strict = await startKratos(pg, "ciam_passkey_only", {
      configOverrides: {
        ...PASSKEY,
        selfservice: { ...PASSKEY.selfservice, methods: { ...PASSKEY.selfservice.methods, code: { passwordless_enabled: false } } },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await strict?.close();
    await pg?.stop();
  });

  /** Browser sign-up with a software passkey; returns the signed-in browser, the key and the identity id. */
  async function signUp(server: TestKratos, email = uniqueEmail("passkey"), key = new SoftwareAuthenticator(ORIGIN, RP_ID)) {
    const browser = new BrowserClient(server.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserRegistrationFlow());
    const createData = JSON.parse(valueOf(flow.ui.nodes, "passkey_create_data")) as { credentialOptions: unknown };
    const { data } = await browser.call((f) =>
      f.updateRegistrationFlow({
        flow: flow.id,
        updateRegistrationFlowBody: {
          method: "passkey",
          csrf_token: csrfOf(flow.ui.nodes),
          traits: { email },
          passkey_register: key.create(parseCreationOptions(JSON.stringify(createData.credentialOptions))),
        },
      }),
    );
    return { browser, key, email, identityId: data.identity.id };
  }

  async function passkeyLogin(server: TestKratos, key: SoftwareAuthenticator) {
    const browser = new BrowserClient(server.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserLoginFlow());
    const login = key.get(parseRequestOptions(valueOf(flow.ui.nodes, "passkey_challenge")));
    const { data } = await browser.call((f) =>
      f.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "passkey", csrf_token: csrfOf(flow.ui.nodes), passkey_login: login },
      }),
    );
    return { browser, session: data.session };
  }

  it("offers sign-up nodes as PopulateRegistrationMethod does: create data, trigger, script (browser only), result input", async () => {
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserRegistrationFlow());
    const nodes = passkeyNodes(flow.ui.nodes);
    // sort.go: the script node is in the webauthn group, which comes before the passkey group; no key names the
    // passkey nodes, so SortBySchema orders them by their values' %v: the trigger's and the input's nil ("<nil>")
    // before the create data's JSON ("{…").
    expect(nodes.map((a) => ("name" in a ? a.name : a.node_type))).toEqual([
      "script",
      "passkey_register_trigger",
      "passkey_register",
      "passkey_create_data",
    ]);
    expect(inputAttributes(flow.ui.nodes, "passkey_register_trigger")).toEqual({
      name: "passkey_register_trigger",
      type: "button",
      disabled: false,
      onclick: "window.oryPasskeyRegistration()",
      onclickTrigger: "oryPasskeyRegistration",
      node_type: "input",
    });
    const trigger = flow.ui.nodes.find((n) => (n.attributes as UiNodeInputAttributes).name === "passkey_register_trigger");
    expect(trigger?.meta.label).toEqual({ id: 1040007, text: "Sign up with passkey", type: "info" });

    // passkeyCreateData with go-webauthn's options for PasskeyConfig: a platform key holding a discoverable credential.
    const createData = JSON.parse(valueOf(flow.ui.nodes, "passkey_create_data")) as {
      credentialOptions: { publicKey: Record<string, unknown> & { user: { id: string; name: string } } };
      displayNameFieldName: string;
    };
    expect(createData.displayNameFieldName).toBe("traits.email");
    expect(createData.credentialOptions.publicKey).toMatchObject({
      rp: { id: RP_ID, name: "Olympus" },
      user: { name: "Olympus", displayName: "Olympus" },
      timeout: 300_000,
      authenticatorSelection: {
        authenticatorAttachment: "platform",
        requireResidentKey: true,
        residentKey: "required",
        userVerification: "preferred",
      },
    });
    // randx.MustString(64, randx.AlphaNum): the user handle.
    expect(Buffer.from(createData.credentialOptions.publicKey.user.id, "base64url").toString()).toMatch(/^[A-Za-z0-9]{64}$/);

    // hydratePassKeyRegistrationOptions keeps the flow's options: fetching the flow again shows the same ones.
    const { data: again } = await browser.call((f) => f.getRegistrationFlow({ id: flow.id }));
    expect(valueOf(again.ui.nodes, "passkey_create_data")).toBe(valueOf(flow.ui.nodes, "passkey_create_data"));

    // API flows: no script node and no raw onclick, the trigger's name stays.
    const { data: api } = await new BrowserClient(kratos.publicUrl).call((f) => f.createNativeRegistrationFlow());
    expect(passkeyNodes(api.ui.nodes).some((a) => a.node_type === "script")).toBe(false);
    expect(inputAttributes(api.ui.nodes, "passkey_register_trigger")).toEqual({
      name: "passkey_register_trigger",
      type: "button",
      disabled: false,
      onclickTrigger: "oryPasskeyRegistration",
      node_type: "input",
    });
  });

  it("registers with a passkey: a `passkey` credential whose identifier is the user handle, signed in at aal1", async () => {
    const { browser, identityId } = await signUp(kratos);
    const { data: identity } = await kratos.identity.getIdentity({ id: identityId, includeCredential: ["passkey"] });
    const credential = identity.credentials?.passkey;
    expect(credential?.identifiers).toHaveLength(1);
    const [handle = ""] = credential?.identifiers ?? [];
    expect(handle).toMatch(/^[A-Za-z0-9]{64}$/);
    const config = credential?.config as { user_handle: string; credentials: Record<string, unknown>[] };
    // identity.CredentialsWebAuthnConfig: the user handle as Go writes []byte (standard base64).
    expect(Buffer.from(config.user_handle, "base64").toString()).toBe(handle);
    expect(config.credentials).toHaveLength(1);
    expect(config.credentials[0]).toMatchObject({ attestation_type: "none", display_name: "", is_passwordless: true });
    expect(config.credentials[0]).not.toHaveProperty("transport");
    // identity.CredentialFromWebAuthn: a key of a model Kratos knows (aaguid.Lookup) is named after it.
    const named = await signUp(
      kratos,
      uniqueEmail("named"),
      new SoftwareAuthenticator(ORIGIN, RP_ID, Buffer.from("ea9b8d664d011d213ce4b6b48cb575d4", "hex")),
    );
    const { data: withName } = await kratos.identity.getIdentity({ id: named.identityId, includeCredential: ["passkey"] });
    expect((withName.credentials?.passkey?.config as { credentials: { display_name: string }[] }).credentials[0]?.display_name).toBe(
      "Google Password Manager",
    );
    expect(String(config.credentials[0]?.added_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const { data: session } = await browser.call((f) => f.toSession());
    expect(session.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([["passkey", "aal1"]]);
  });

  it('refuses an answer that is not a WebAuthn attestation with Kratos\' parse error, and keeps `passkey_register: "true"` from the SDK as no answer', async () => {
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserRegistrationFlow());
    const submit = (passkey_register: string) =>
      expectFailure(
        browser.call((f) =>
          f.updateRegistrationFlow({
            flow: flow.id,
            updateRegistrationFlowBody: {
              method: "passkey",
              csrf_token: csrfOf(flow.ui.nodes),
              traits: { email: uniqueEmail("bad") },
              passkey_register,
            },
          }),
        ),
      );
    const broken = await submit("{not json");
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.data)).toContain("Unable to parse WebAuthn response: Parse error for Registration");
    // "true" is ErrStrategyNotResponsible: no strategy takes `method: passkey` then (NewNoRegistrationStrategyResponsible).
    const none = await submit("true");
    expect(none.status).toBe(400);
    expect(((none.data.ui as { messages?: { id: number }[] }).messages ?? []).map((m) => m.id)).toEqual([4010003]);
  });

  it("validates a `traits` that is no object as given once the key's answer verified (validateCredentials)", async () => {
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserRegistrationFlow());
    const createData = JSON.parse(valueOf(flow.ui.nodes, "passkey_create_data")) as { credentialOptions: unknown };
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const failure = await expectFailure(
      browser.call((f) =>
        f.updateRegistrationFlow({
          flow: flow.id,
          updateRegistrationFlowBody: {
            method: "passkey",
            csrf_token: csrfOf(flow.ui.nodes),
            traits: 5 as unknown as object,
            passkey_register: key.create(parseCreationOptions(JSON.stringify(createData.credentialOptions))),
          },
        }),
      ),
    );
    expect(failure.status).toBe(400);
    expect(JSON.stringify(failure.data)).toContain("expected object, but got number");
  });

  it("signs in with a discoverable passkey: first-factor nodes as PopulateLoginMethodFirstFactor renders them", async () => {
    const { key, identityId } = await signUp(kratos);
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserLoginFlow());
    expect(inputAttributes(flow.ui.nodes, "identifier")).toMatchObject({ type: "text", required: true, autocomplete: "username webauthn" });
    expect(inputAttributes(flow.ui.nodes, "passkey_login")).toEqual({
      name: "passkey_login",
      type: "hidden",
      disabled: false,
      onload: "window.oryPasskeyLoginAutocompleteInit()",
      onloadTrigger: "oryPasskeyLoginAutocompleteInit",
      node_type: "input",
    });
    expect(inputAttributes(flow.ui.nodes, "passkey_login_trigger")).toEqual({
      name: "passkey_login_trigger",
      type: "button",
      value: "",
      disabled: false,
      onclick: "window.oryPasskeyLogin()",
      onclickTrigger: "oryPasskeyLogin",
      node_type: "input",
    });
    // BeginDiscoverableLogin: no allowed credentials, user verification preferred.
    const challenge = JSON.parse(valueOf(flow.ui.nodes, "passkey_challenge")) as { publicKey: Record<string, unknown> };
    expect(challenge.publicKey).toMatchObject({ rpId: RP_ID, userVerification: "preferred", timeout: 300_000 });
    expect(challenge.publicKey.allowCredentials ?? []).toEqual([]);

    const { data } = await browser.call((f) =>
      f.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: {
          method: "passkey",
          csrf_token: csrfOf(flow.ui.nodes),
          passkey_login: key.get(parseRequestOptions(valueOf(flow.ui.nodes, "passkey_challenge"))),
        },
      }),
    );
    expect(data.session.identity?.id).toBe(identityId);
    expect(data.session.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([["passkey", "aal1"]]);
  });

  it("answers a wrong signature with NewWebAuthnVerifierWrongError (4000008) and an unknown user handle with NewNoWebAuthnCredentials (4000015)", async () => {
    const { key } = await signUp(kratos);
    const impostor = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserLoginFlow());
    const options = parseRequestOptions(valueOf(flow.ui.nodes, "passkey_challenge"));
    const attempt = (passkey_login: string) =>
      expectFailure(
        browser.call((f) =>
          f.updateLoginFlow({
            flow: flow.id,
            updateLoginFlowBody: { method: "passkey", csrf_token: csrfOf(flow.ui.nodes), passkey_login },
          }),
        ),
      );
    const messageIds = (failure: { data: Record<string, unknown> }) =>
      ((failure.data.ui as { messages?: { id: number }[] }).messages ?? []).map((m) => m.id);

    const wrong = await attempt(key.get(options, { signWith: impostor }));
    expect(wrong.status).toBe(400);
    expect(messageIds(wrong)).toEqual([4000008]);

    const stranger = new SoftwareAuthenticator(ORIGIN, RP_ID);
    stranger.create(
      parseCreationOptions(
        JSON.stringify({
          publicKey: { challenge: "AA", rp: { id: RP_ID, name: "x" }, user: { id: Buffer.from("z".repeat(64)).toString("base64url") } },
        }),
      ),
    );
    const unknown = await attempt(stranger.get(options));
    expect(unknown.status).toBe(400);
    expect(messageIds(unknown)).toEqual([4000015]);

    const broken = await attempt("{}");
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.data)).toContain("Unable to parse WebAuthn response.");
  });

  it("sends `method: passkey` without an answer to the login UI: 422 browser_location_change_required for JSON clients", async () => {
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserLoginFlow());
    const failure = await expectFailure(
      browser.call((f) =>
        f.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "passkey", csrf_token: csrfOf(flow.ui.nodes) } }),
      ),
    );
    expect(failure.status).toBe(422);
    expect(failure.data).toMatchObject({
      error: { id: "browser_location_change_required" },
      redirect_browser_to: `http://ciam.localhost:3000/login?flow=${flow.id}`,
    });
  });

  it("lists passkeys in settings, adds another with fresh options and removes one (PopulateSettingsMethod, continueSettingsFlowAdd/Remove)", async () => {
    const { browser, identityId } = await signUp(kratos);
    const { data: flow } = await browser.call((f) => f.createBrowserSettingsFlow());
    const removes = flow.ui.nodes.filter((n) => (n.attributes as UiNodeInputAttributes).name === "passkey_remove");
    expect(removes).toHaveLength(1);
    // Passwordless codes count as a first factor here (CIAM config), so the only passkey may go.
    expect((removes[0]?.attributes as UiNodeInputAttributes).disabled).toBe(false);
    expect(removes[0]?.meta.label).toMatchObject({ id: 1050020, text: 'Remove passkey "unnamed"', type: "info" });
    expect(inputAttributes(flow.ui.nodes, "passkey_register_trigger")).toMatchObject({
      onclickTrigger: "oryPasskeySettingsRegistration",
      value: "",
    });
    const options = JSON.parse(valueOf(flow.ui.nodes, "passkey_create_data")) as { publicKey: { user: { name: string } } };
    // The settings options name the user after the passkey display name (the email), and are not wrapped in create data.
    expect(options.publicKey.user.name).toMatch(/^passkey.*@/);

    const second = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const { data: added } = await browser.call((f) =>
      f.updateSettingsFlow({
        flow: flow.id,
        updateSettingsFlowBody: {
          method: "passkey",
          csrf_token: csrfOf(flow.ui.nodes),
          passkey_settings_register: second.create(parseCreationOptions(valueOf(flow.ui.nodes, "passkey_create_data"))),
        },
      }),
    );
    expect(added.state).toBe("success");
    const { data: identity } = await kratos.identity.getIdentity({ id: identityId, includeCredential: ["passkey"] });
    expect(identity.credentials?.passkey?.identifiers).toHaveLength(2);
    expect((identity.credentials?.passkey?.config as { credentials: unknown[] }).credentials).toHaveLength(2);
    // Both keys sign in: the new user handle is an identifier too.
    const viaSecond = await passkeyLogin(kratos, second);
    expect(viaSecond.session.identity?.id).toBe(identityId);

    const { data: again } = await browser.call((f) => f.createBrowserSettingsFlow());
    const hexId = second.credentialId.toString("hex");
    const { data: removed } = await browser.call((f) =>
      f.updateSettingsFlow({
        flow: again.id,
        updateSettingsFlowBody: { method: "passkey", csrf_token: csrfOf(again.ui.nodes), passkey_remove: hexId },
      }),
    );
    expect(removed.state).toBe("success");
    const { data: after } = await kratos.identity.getIdentity({ id: identityId, includeCredential: ["passkey"] });
    expect((after.credentials?.passkey?.config as { credentials: unknown[] }).credentials).toHaveLength(1);

    const missing = await expectFailure(
      browser.call((f) =>
        f.updateSettingsFlow({
          flow: again.id,
          updateSettingsFlowBody: { method: "passkey", csrf_token: csrfOf(again.ui.nodes), passkey_remove: "00ff" },
        }),
      ),
    );
    expect(JSON.stringify(missing.data)).toContain("You tried to remove a passkey which does not exist.");
  });

  it("keeps the last way to sign in: the remove button is disabled and a removal refused", async () => {
    const { browser, key } = await signUp(strict);
    const { data: flow } = await browser.call((f) => f.createBrowserSettingsFlow());
    const remove = flow.ui.nodes.find((n) => (n.attributes as UiNodeInputAttributes).name === "passkey_remove");
    expect((remove?.attributes as UiNodeInputAttributes).disabled).toBe(true);
    const refused = await expectFailure(
      browser.call((f) =>
        f.updateSettingsFlow({
          flow: flow.id,
          updateSettingsFlowBody: {
            method: "passkey",
            csrf_token: csrfOf(flow.ui.nodes),
            passkey_remove: key.credentialId.toString("hex"),
          },
        }),
      ),
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.data)).toContain("unable to remove this security key because it would lock you out of your account");
  });

  it("serves API flows too: a native sign-up and sign-in without script nodes", async () => {
    const client = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await client.call((f) => f.createNativeRegistrationFlow());
    const createData = JSON.parse(valueOf(flow.ui.nodes, "passkey_create_data")) as { credentialOptions: unknown };
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const { data: registered } = await client.call((f) =>
      f.updateRegistrationFlow({
        flow: flow.id,
        updateRegistrationFlowBody: {
          method: "passkey",
          csrf_token: "",
          traits: { email: uniqueEmail("native") },
          passkey_register: key.create(parseCreationOptions(JSON.stringify(createData.credentialOptions))),
        },
      }),
    );
    expect(registered.session_token).toBeTruthy();

    const { data: login } = await client.call((f) => f.createNativeLoginFlow());
    expect(inputAttributes(login.ui.nodes, "passkey_login")).toEqual({
      name: "passkey_login",
      type: "hidden",
      disabled: false,
      onloadTrigger: "oryPasskeyLoginAutocompleteInit",
      node_type: "input",
    });
    const { data: signedIn } = await client.call((f) =>
      f.updateLoginFlow({
        flow: login.id,
        updateLoginFlowBody: {
          method: "passkey",
          csrf_token: "",
          passkey_login: key.get(parseRequestOptions(valueOf(login.ui.nodes, "passkey_challenge"))),
        },
      }),
    );
    expect(signedIn.session.identity?.id).toBe(registered.identity.id);
  });
});
