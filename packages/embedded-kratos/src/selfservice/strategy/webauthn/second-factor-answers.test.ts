import type { LoginFlow, SettingsFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAM_CONFIG, startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { BrowserClient, createEmployee, csrfOf, expectFailure, inputAttributes, nodeNamed } from "../../../testing/second-factor";
import { parseCreationOptions, parseRequestOptions, SoftwareAuthenticator } from "./testing/software-authenticator";

/**
 * Security keys as a second factor (IAM config) answered as Kratos v26.2
 * answers: selfservice/strategy/webauthn/settings.go and login.go,
 * identity/credentials_webauthn.go, go-webauthn v0.11.2 webauthn/login.go.
 */
const ORIGIN = "http://iam.localhost:4000";
const RP_ID = "iam.localhost";

interface StoredConfig {
  credentials: Record<string, unknown>[];
}

describe("WebAuthn second factor: Kratos' answers in settings and at aal2", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("iam_webauthn_answers", { configPath: IAM_CONFIG })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function signedIn() {
    const { id, email } = await createEmployee(kratos);
    const browser = new BrowserClient(kratos.publicUrl);
    await browser.passwordLogin(email);
    const { data: flow } = await browser.call((f) => f.createBrowserSettingsFlow());
    return { id, email, browser, flow };
  }

  function addKey(browser: BrowserClient, flow: SettingsFlow, body: Record<string, string>) {
    return browser.call((f) =>
      f.updateSettingsFlow({
        flow: flow.id,
        updateSettingsFlowBody: { method: "webauthn", csrf_token: csrfOf(flow.ui.nodes), webauthn_register: "", ...body },
      }),
    );
  }

  async function storedKeys(id: string): Promise<Record<string, unknown>[]> {
    const { data } = await kratos.identity.getIdentity({ id, includeCredential: ["webauthn"] });
    return (data.credentials?.webauthn?.config as StoredConfig | undefined)?.credentials ?? [];
  }

  const registerOptions = (flow: SettingsFlow) =>
    parseCreationOptions(String(inputAttributes(flow.ui.nodes, "webauthn_register_trigger")?.value));

  // identity.CredentialFromWebAuthn + settings.go continueSettingsFlowAdd (wc.DisplayName = p.RegisterDisplayName).
  it("stores the key as CredentialFromWebAuthn does: the attestation format, no transports, the display name as sent", async () => {
    const { id, browser, flow } = await signedIn();
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const { data } = await addKey(browser, flow, {
      webauthn_register: key.create(registerOptions(flow), { attestation: "packed" }),
      webauthn_register_displayname: "  YubiKey 5  ",
    });
    expect(data.state).toBe("success");
    const [stored] = await storedKeys(id);
    expect(Object.keys(stored ?? {}).sort()).toEqual(
      ["added_at", "attestation_type", "authenticator", "display_name", "flags", "id", "is_passwordless", "public_key"].sort(),
    );
    expect(stored).toMatchObject({
      id: key.credentialId.toString("base64"),
      attestation_type: "packed",
      authenticator: { aaguid: Buffer.alloc(16).toString("base64"), sign_count: 0, clone_warning: false },
      display_name: "  YubiKey 5  ",
      is_passwordless: false,
      flags: { user_present: true, user_verified: false, backup_eligible: false, backup_state: false },
    });
    expect(String(stored?.added_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  // settings.schema.json: a filled webauthn_register requires webauthn_register_displayname with minLength 1.
  it("refuses a key without a display name, as settings.schema.json does", async () => {
    const { id, browser, flow } = await signedIn();
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const missing = await expectFailure(addKey(browser, flow, { webauthn_register: key.create(registerOptions(flow)) }));
    expect(missing.status).toBe(400);
    expect(nodeNamed((missing.data as unknown as SettingsFlow).ui.nodes, "webauthn_register_displayname")?.messages).toEqual([
      {
        id: 4000002,
        text: "Property webauthn_register_displayname is missing.",
        type: "error",
        context: { property: "webauthn_register_displayname" },
      },
    ]);
    const empty = await expectFailure(
      addKey(browser, flow, { webauthn_register: key.create(registerOptions(flow)), webauthn_register_displayname: "" }),
    );
    expect(nodeNamed((empty.data as unknown as SettingsFlow).ui.nodes, "webauthn_register_displayname")?.messages[0]).toMatchObject({
      id: 4000003,
      context: { min_length: 1, actual_length: 0 },
    });
    expect(await storedKeys(id)).toEqual([]);
  });

  // continueSettingsFlowAdd: ParseCredentialCreationResponseBody's error is a 400, which container.ParseError shows as 4000001.
  it("answers an unparsable key response with Kratos' parse error and keeps the flow's options", async () => {
    const { id, browser, flow } = await signedIn();
    const failure = await expectFailure(addKey(browser, flow, { webauthn_register: "{}", webauthn_register_displayname: "Key" }));
    expect(failure.status).toBe(400);
    const reason = "Unable to parse WebAuthn response: Parse error for Registration";
    expect((failure.data as unknown as SettingsFlow).ui.messages).toEqual([
      { id: 4000001, text: reason, type: "error", context: { reason } },
    ]);
    // The error handler does not populate the flow again: the options on the page still answer.
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const { data } = await addKey(browser, flow, {
      webauthn_register: key.create(registerOptions(flow)),
      webauthn_register_displayname: "Key",
    });
    expect(data.state).toBe("success");
    expect(await storedKeys(id)).toHaveLength(1);
  });

  // PopulateSettingsMethod: BeginRegistration(webauthnx.NewUser(id, nil, …)) excludes nothing; continueSettingsFlowAdd appends.
  it("excludes no registered key from new options and appends a key registered again", async () => {
    const { id, browser, flow } = await signedIn();
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const { data: first } = await addKey(browser, flow, {
      webauthn_register: key.create(registerOptions(flow)),
      webauthn_register_displayname: "A",
    });
    const again = registerOptions(first);
    expect(again.publicKey.excludeCredentials ?? []).toEqual([]);
    const { data: second } = await addKey(browser, first, { webauthn_register: key.create(again), webauthn_register_displayname: "B" });
    expect(second.state).toBe("success");
    expect((await storedKeys(id)).map((k) => k.display_name)).toEqual(["A", "B"]);
  });

  // continueSettingsFlowRemove: fmt.Sprintf("%x", cred.ID) != p.Remove, compared as sent.
  it("removes a key only by its lower-case hex id", async () => {
    const { id, browser, flow } = await signedIn();
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const { data: saved } = await addKey(browser, flow, {
      webauthn_register: key.create(registerOptions(flow)),
      webauthn_register_displayname: "K",
    });
    const upper = await expectFailure(
      browser.call((f) =>
        f.updateSettingsFlow({
          flow: saved.id,
          updateSettingsFlowBody: {
            method: "webauthn",
            csrf_token: csrfOf(saved.ui.nodes),
            webauthn_remove: key.credentialId.toString("hex").toUpperCase(),
          },
        }),
      ),
    );
    expect((upper.data as unknown as SettingsFlow).ui.messages?.map((m) => m.text)).toEqual([
      "You tried to remove a WebAuthn credential which does not exist.",
    ]);
    expect(await storedKeys(id)).toHaveLength(1);
  });

  async function keyAtAal2() {
    const { id, email, browser, flow } = await signedIn();
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    await addKey(browser, flow, { webauthn_register: key.create(registerOptions(flow)), webauthn_register_displayname: "K" });
    const other = new BrowserClient(kratos.publicUrl);
    await other.passwordLogin(email);
    const { data: mfa } = await other.call((f) => f.createBrowserLoginFlow({ aal: "aal2" }));
    const options = parseRequestOptions(String(inputAttributes(mfa.ui.nodes, "webauthn_login_trigger")?.value));
    const login = (body: Record<string, string>) =>
      other.call((f) =>
        f.updateLoginFlow({
          flow: mfa.id,
          updateLoginFlowBody: { method: "webauthn", csrf_token: csrfOf(mfa.ui.nodes), identifier: email, ...body },
        }),
      );
    return { id, email, key, options, login };
  }

  const messageIds = (failure: { data: Record<string, unknown> }) =>
    ((failure.data as unknown as LoginFlow).ui.messages ?? []).map((m) => m.id);

  // login.go loginAuthenticate stores nothing after ValidateLogin; a failed answer leaves the session data (handleLoginError).
  it("keeps the stored key unchanged by a sign-in, and the options valid after a failed answer", async () => {
    const { id, key, options, login } = await keyAtAal2();
    const before = await storedKeys(id);
    const impostor = new SoftwareAuthenticator(ORIGIN, RP_ID);
    expect(messageIds(await expectFailure(login({ webauthn_login: key.get(options, { signWith: impostor }) })))).toEqual([4000008]);
    const { data } = await login({ webauthn_login: key.get(options) });
    expect(data.session.authenticator_assurance_level).toBe("aal2");
    expect(await storedKeys(id)).toEqual(before);
  });

  // go-webauthn validateLogin: "BackupEligible flag inconsistency detected during login validation".
  it("refuses an answer whose backup-eligible flag differs from the stored key's", async () => {
    const { key, options, login } = await keyAtAal2();
    expect(messageIds(await expectFailure(login({ webauthn_login: key.get(options, { flags: 0x09 }) })))).toEqual([4000008]);
  });

  // loginAuthenticate: ParseCredentialRequestResponseBody's error is a 400 "Unable to parse WebAuthn response.".
  it("answers an unparsable assertion with Kratos' parse error", async () => {
    const { login } = await keyAtAal2();
    const failure = await expectFailure(login({ webauthn_login: "not json" }));
    expect(failure.status).toBe(400);
    expect((failure.data as unknown as LoginFlow).ui.messages).toEqual([
      { id: 4000001, text: "Unable to parse WebAuthn response.", type: "error", context: { reason: "Unable to parse WebAuthn response." } },
    ]);
  });

  // login.schema.json: method webauthn requires a non-empty identifier, the second factor included.
  it("requires the identifier login.schema.json requires", async () => {
    const { key, options, login } = await keyAtAal2();
    const failure = await expectFailure(login({ webauthn_login: key.get(options), identifier: "" }));
    expect(failure.status).toBe(400);
    expect(nodeNamed((failure.data as unknown as LoginFlow).ui.nodes, "identifier")?.messages.map((m) => m.id)).toEqual([4000003]);
  });
});
