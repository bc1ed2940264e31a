import type { LoginFlow, UiNodeInputAttributes } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { TestBrowser } from "../../../testing/browser";
import { BrowserClient, csrfOf, expectFailure, inputAttributes, nodeNamed } from "../../../testing/second-factor";
import { parseCreationOptions, parseRequestOptions, SoftwareAuthenticator } from "./testing/software-authenticator";

/** CIAM config: `webauthn.config.passwordless: true`, rp ciam.localhost. */
const ORIGIN = "http://ciam.localhost:3000";
const RP_ID = "ciam.localhost";

describe("WebAuthn as a passwordless first factor (CIAM config) and classic form posts", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_webauthn")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function customerWithKey(): Promise<{ email: string; key: SoftwareAuthenticator }> {
    const email = uniqueEmail("passkey");
    await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "default", traits: { email }, credentials: { password: { config: { password: STRONG_PASSWORD } } } },
    });
    const browser = new BrowserClient(kratos.publicUrl);
    await browser.passwordLogin(email);
    const { data: flow } = await browser.call((f) => f.createBrowserSettingsFlow());
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const options = parseCreationOptions(String(inputAttributes(flow.ui.nodes, "webauthn_register_trigger")?.value));
    const { data: saved } = await browser.call((f) =>
      f.updateSettingsFlow({
        flow: flow.id,
        updateSettingsFlowBody: {
          method: "webauthn",
          csrf_token: csrfOf(flow.ui.nodes),
          webauthn_register: key.create(options),
          webauthn_register_displayname: "Key",
        },
      }),
    );
    expect(saved.state).toBe("success");
    // A passwordless key is a first factor: the session gains webauthn at aal1 and stays aal1.
    const whoami = await browser.call((f) => f.toSession());
    expect(whoami.data.authenticator_assurance_level).toBe("aal1");
    expect(whoami.data.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
      ["password", "aal1"],
      ["webauthn", "aal1"],
    ]);
    return { email, key };
  }

  it("signs in with identifier then security key, without a password", async () => {
    const { email, key } = await customerWithKey();
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserLoginFlow());
    expect(inputAttributes(flow.ui.nodes, "method")).toBeDefined();
    const submit = flow.ui.nodes.find((n) => n.group === "webauthn" && (n.attributes as UiNodeInputAttributes).name === "method");
    expect(submit?.meta.label).toEqual({ id: 1010008, text: "Sign in with a hardware key", type: "info" });

    const unknown = await expectFailure(
      browser.call((f) =>
        f.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: { method: "webauthn", csrf_token: csrfOf(flow.ui.nodes), identifier: "nobody@example.com" },
        }),
      ),
    );
    expect(((unknown.data.ui as { messages?: { id: number }[] }).messages ?? []).map((m) => m.id)).toContain(4000015);

    // Step one: the flow comes back with the key's options and Kratos' "prepare your device" message.
    const step = await expectFailure(
      browser.call((f) =>
        f.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: { method: "webauthn", csrf_token: csrfOf(flow.ui.nodes), identifier: email },
        }),
      ),
    );
    // login.go loginPasswordless: a JSON client is told to send the browser to the login UI, where the saved flow
    // shows only the key's form (the other methods' nodes are reset).
    expect(step.status).toBe(422);
    expect(step.data.redirect_browser_to).toBe(`http://ciam.localhost:3000/login?flow=${flow.id}`);
    const { data: withKey } = await browser.call((f) => f.getLoginFlow({ id: flow.id }));
    // Messages.Add appends: the earlier refusal's 4000015 stays, as in Kratos.
    expect(withKey.ui.messages?.map((m) => m.id)).toEqual([4000015, 1010012]);
    expect(withKey.ui.nodes.map((n) => ("name" in n.attributes ? n.attributes.name : n.attributes.id))).toEqual([
      "identifier",
      "csrf_token",
      "webauthn_script",
      "webauthn_login_trigger",
      "webauthn_login",
    ]);
    expect(inputAttributes(withKey.ui.nodes, "identifier")).toMatchObject({ type: "hidden", value: email, required: true });
    const trigger = inputAttributes(withKey.ui.nodes, "webauthn_login_trigger");
    expect(trigger?.onclickTrigger).toBe("oryWebAuthnLogin");
    expect(nodeNamed(withKey.ui.nodes, "webauthn_login_trigger")?.meta.label?.id).toBe(1010013);

    // Step two: the assertion signs in at aal1 with method webauthn.
    const { data: done } = await browser.call((f) =>
      f.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: {
          method: "webauthn",
          csrf_token: csrfOf(withKey.ui.nodes),
          identifier: email,
          webauthn_login: key.get(parseRequestOptions(String(trigger?.value))),
        },
      }),
    );
    expect(done.session.authenticator_assurance_level).toBe("aal1");
    expect(done.session.authentication_methods?.map((m) => m.method)).toEqual(["webauthn"]);
    expect((await browser.call((f) => f.toSession())).data.identity?.traits).toMatchObject({ email });
  });

  it("signs up with a security key only, then signs in with it", async () => {
    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserRegistrationFlow());
    const trigger = inputAttributes(flow.ui.nodes, "webauthn_register_trigger");
    expect(trigger?.onclickTrigger).toBe("oryWebAuthnRegistration");
    expect(nodeNamed(flow.ui.nodes, "webauthn_register_trigger")?.meta.label).toEqual({
      id: 1040004,
      text: "Sign up with security key",
      type: "info",
    });
    const options = parseCreationOptions(String(trigger?.value));
    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const email = uniqueEmail("signup-key");
    const { data: done } = await browser.call((f) =>
      f.updateRegistrationFlow({
        flow: flow.id,
        updateRegistrationFlowBody: {
          method: "webauthn",
          csrf_token: csrfOf(flow.ui.nodes),
          traits: { email },
          webauthn_register: key.create(options),
          webauthn_register_displayname: "Laptop",
        },
      }),
    );
    // The key is bound to the new identity's id (its WebAuthn user handle).
    expect(Buffer.from(options.publicKey.user.id, "base64url").toString("hex")).toBe(done.identity.id.replace(/-/g, ""));
    const { data: stored } = await kratos.identity.getIdentity({ id: done.identity.id, includeCredential: ["webauthn"] });
    expect(stored.credentials?.webauthn?.identifiers).toEqual([email]);
    // The schema's password identifier still gives it a password credential, without a password (extension_credentials.go).
    expect(stored.credentials?.password).toMatchObject({ identifiers: [email], version: 0 });

    const again = new BrowserClient(kratos.publicUrl);
    const { data: login } = await again.call((f) => f.createBrowserLoginFlow());
    const step = await expectFailure(
      again.call((f) =>
        f.updateLoginFlow({
          flow: login.id,
          updateLoginFlowBody: { method: "webauthn", csrf_token: csrfOf(login.ui.nodes), identifier: email },
        }),
      ),
    );
    expect(step.status).toBe(422);
    const { data: withKey } = await again.call((f) => f.getLoginFlow({ id: login.id }));
    const assertion = parseRequestOptions(String(inputAttributes(withKey.ui.nodes, "webauthn_login_trigger")?.value));
    const { data: session } = await again.call((f) =>
      f.updateLoginFlow({
        flow: login.id,
        updateLoginFlowBody: {
          method: "webauthn",
          csrf_token: csrfOf(withKey.ui.nodes),
          identifier: email,
          webauthn_login: key.get(assertion),
        },
      }),
    );
    expect(session.session.identity?.id).toBe(done.identity.id);
  });

  it("accepts what webauthn.js submits: a form post without `method`, answered with 303s", async () => {
    const { email, key } = await customerWithKey();
    const browser = new TestBrowser();
    const json = { Accept: "application/json" };
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: json })).body as LoginFlow;
    const step = await browser.request(flow.ui.action, {
      form: { method: "webauthn", csrf_token: csrfOf(flow.ui.nodes), identifier: email },
    });
    expect(step.status).toBe(303);
    expect(step.location).toBe(`http://ciam.localhost:3000/login?flow=${flow.id}`);
    const rendered = (await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${flow.id}`, { headers: json }))
      .body as LoginFlow;
    const options = parseRequestOptions(String(inputAttributes(rendered.ui.nodes, "webauthn_login_trigger")?.value));

    const done = await browser.request(flow.ui.action, {
      form: { csrf_token: csrfOf(rendered.ui.nodes), identifier: email, webauthn_login: key.get(options) },
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe("http://ciam.localhost:3000/");
    const whoami = await browser.request(`${kratos.publicUrl}/sessions/whoami`);
    expect((whoami.body as { authentication_methods: { method: string }[] }).authentication_methods.map((m) => m.method)).toEqual([
      "webauthn",
    ]);

    // Settings registration posted the same way (no `method`): 303 back to the settings UI, key added.
    const settings = (await browser.request(`${kratos.publicUrl}/self-service/settings/browser`, { headers: json })).body as LoginFlow;
    const second = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const register = parseCreationOptions(String(inputAttributes(settings.ui.nodes, "webauthn_register_trigger")?.value));
    const saved = await browser.request(settings.ui.action, {
      form: { csrf_token: csrfOf(settings.ui.nodes), webauthn_register_displayname: "Phone", webauthn_register: second.create(register) },
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`http://ciam.localhost:3000/settings?flow=${settings.id}`);
    const after = (await browser.request(`${kratos.publicUrl}/self-service/settings/flows?id=${settings.id}`, { headers: json }))
      .body as LoginFlow;
    expect(after.ui.nodes.filter((n) => (n.attributes as UiNodeInputAttributes).name === "webauthn_remove")).toHaveLength(2);
  });
});
