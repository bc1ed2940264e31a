import { createHash } from "node:crypto";
import type { UiNode, UiNodeInputAttributes, UiNodeScriptAttributes } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import {
  IAM_CONFIG,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { BrowserClient, createEmployee, csrfOf, expectFailure, inputAttributes, nodeNamed } from "../../../testing/second-factor";
import { parseCreationOptions, parseRequestOptions, SoftwareAuthenticator } from "./testing/software-authenticator";

const ORIGIN = "http://iam.localhost:4000";
const RP_ID = "iam.localhost";

describe("WebAuthn security keys (IAM config: second factor), browser flows through @ory/client", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("iam_webauthn", { configPath: IAM_CONFIG })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("registers a key in settings, then signs in with it at aal2 and removes it", async () => {
    const { id, email } = await createEmployee(kratos);
    const browser = new BrowserClient(kratos.publicUrl);
    await browser.passwordLogin(email);

    const { data: flow } = await browser.call((f) => f.createBrowserSettingsFlow());
    const webauthnNodes = flow.ui.nodes.filter((n) => n.group === "webauthn");
    expect(
      webauthnNodes.map((n) => ("name" in n.attributes ? n.attributes.name : "id" in n.attributes ? n.attributes.id : "")).sort(),
    ).toEqual(["webauthn_register", "webauthn_register_displayname", "webauthn_register_trigger", "webauthn_script"].sort());
    const trigger = inputAttributes(flow.ui.nodes, "webauthn_register_trigger") as UiNodeInputAttributes;
    expect(trigger).toMatchObject({ type: "button", onclickTrigger: "oryWebAuthnRegistration" });
    expect(trigger.onclick).toBe(`window.oryWebAuthnRegistration(${String(trigger.value)})`);
    expect(nodeNamed(flow.ui.nodes, "webauthn_register_trigger")?.meta.label).toEqual({
      id: 1050012,
      text: "Add security key",
      type: "info",
    });

    // The script node points at the served helper, with a matching integrity hash.
    const script = nodeNamed(flow.ui.nodes, "webauthn_script")?.attributes as UiNodeScriptAttributes;
    expect(script).toMatchObject({
      src: `${kratos.publicUrl}/.well-known/ory/webauthn.js`,
      async: true,
      crossorigin: "anonymous",
      type: "text/javascript",
    });
    const served = await fetch(script.src);
    expect(served.headers.get("content-type")).toContain("text/javascript");
    const body = await served.text();
    expect(script.integrity).toBe(`sha512-${createHash("sha512").update(body).digest("base64")}`);
    expect(body).toContain("window.oryWebAuthnRegistration");

    const key = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const options = parseCreationOptions(String(trigger.value));
    expect(options.publicKey.rp).toEqual({ id: RP_ID, name: "Olympus Workforce" });

    // A response for another challenge is refused (challenges are only trusted from the flow): Kratos' error
    // (settings.go continueSettingsFlowAdd: a 500 there, a 400 here, README Known differences).
    const forged = await expectFailure(
      browser.call((f) =>
        f.updateSettingsFlow({
          flow: flow.id,
          updateSettingsFlowBody: {
            method: "webauthn",
            csrf_token: csrfOf(flow.ui.nodes),
            webauthn_register: key.create(options, { challenge: "Zm9yZ2Vk" }),
            webauthn_register_displayname: "YubiKey 5",
          },
        }),
      ),
    );
    expect(forged.status).toBe(400);
    // container.ParseError: a 400 error becomes the flow's generic message.
    const rerendered = forged.data as unknown as typeof flow;
    expect(rerendered.ui.messages).toEqual([
      {
        id: 4000001,
        text: "Unable to create WebAuthn credential: Error validating the registration response",
        type: "error",
        context: { reason: "Unable to create WebAuthn credential: Error validating the registration response" },
      },
    ]);

    // The flow keeps its options, which still answer.
    const { data: saved } = await browser.call((f) =>
      f.updateSettingsFlow({
        flow: flow.id,
        updateSettingsFlowBody: {
          method: "webauthn",
          csrf_token: csrfOf(flow.ui.nodes),
          webauthn_register: key.create(options),
          webauthn_register_displayname: "YubiKey 5",
        },
      }),
    );
    expect(saved.state).toBe("success");
    const remove = nodeNamed(saved.ui.nodes, "webauthn_remove");
    expect(remove?.attributes).toMatchObject({ type: "submit", value: key.credentialId.toString("hex"), disabled: false });
    expect(remove?.meta.label).toMatchObject({ id: 1050018, text: 'Remove security key "YubiKey 5"' });

    // Stored the way Kratos stores it.
    const { data: stored } = await kratos.identity.getIdentity({ id, includeCredential: ["webauthn"] });
    expect(stored.credentials?.webauthn?.identifiers).toEqual([email]);
    const config = stored.credentials?.webauthn?.config as {
      credentials: { id: string; is_passwordless: boolean; display_name: string }[];
      user_handle: string;
    };
    expect(config.credentials).toHaveLength(1);
    expect(config.credentials[0]).toMatchObject({
      id: key.credentialId.toString("base64"),
      is_passwordless: false,
      display_name: "YubiKey 5",
    });
    expect(Buffer.from(config.user_handle, "base64").toString("hex")).toBe(id.replace(/-/g, ""));

    // A new browser with only the password is held at aal1 by whoami and settings.
    const other = new BrowserClient(kratos.publicUrl);
    await other.passwordLogin(email);
    const denied = await expectFailure(other.call((f) => f.toSession()));
    expect(denied.status).toBe(403);
    expect((denied.data.error as { id: string }).id).toBe("session_aal2_required");
    expect((await expectFailure(other.call((f) => f.createBrowserSettingsFlow()))).status).toBe(403);

    // A classic browser (HTML) is redirected to the aal2 login instead.
    const html = new TestBrowser();
    const htmlFlow = (await html.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } }))
      .body as { ui: { action: string; nodes: UiNode[] } };
    const signedIn = await html.request(htmlFlow.ui.action, {
      form: { method: "password", csrf_token: csrfOf(htmlFlow.ui.nodes), identifier: email, password: STRONG_PASSWORD },
    });
    expect(signedIn.status).toBe(303);
    const htmlSettings = await html.request(`${kratos.publicUrl}/self-service/settings/browser`);
    expect(htmlSettings.status).toBe(303);
    expect(htmlSettings.location).toContain("/self-service/login/browser?aal=aal2");

    const { data: mfa } = await other.call((f) => f.createBrowserLoginFlow({ aal: "aal2" }));
    expect(inputAttributes(mfa.ui.nodes, "identifier")).toMatchObject({ type: "hidden", value: email });
    const loginTrigger = inputAttributes(mfa.ui.nodes, "webauthn_login_trigger") as UiNodeInputAttributes;
    expect(loginTrigger).toMatchObject({ type: "button", onclickTrigger: "oryWebAuthnLogin" });
    expect(nodeNamed(mfa.ui.nodes, "webauthn_login_trigger")?.meta.label).toEqual({
      id: 1010008,
      text: "Sign in with a hardware key",
      type: "info",
    });
    expect(inputAttributes(mfa.ui.nodes, "webauthn_login")).toMatchObject({ type: "hidden" });
    const assertion = parseRequestOptions(String(loginTrigger.value));

    const impostor = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const wrong = await expectFailure(
      other.call((f) =>
        f.updateLoginFlow({
          flow: mfa.id,
          updateLoginFlowBody: {
            method: "webauthn",
            csrf_token: csrfOf(mfa.ui.nodes),
            identifier: email,
            webauthn_login: key.get(assertion, { signWith: impostor }),
          },
        }),
      ),
    );
    expect(wrong.status).toBe(400);
    expect(((wrong.data.ui as { messages?: { id: number }[] }).messages ?? []).map((m) => m.id)).toContain(4000008); // schema/errors.go NewWebAuthnVerifierWrongError: ErrorValidationTOTPVerifierWrong

    const retry = wrong.data as unknown as typeof mfa;
    const retryOptions = parseRequestOptions(String(inputAttributes(retry.ui.nodes, "webauthn_login_trigger")?.value));
    const { data: upgraded } = await other.call((f) =>
      f.updateLoginFlow({
        flow: mfa.id,
        updateLoginFlowBody: {
          method: "webauthn",
          csrf_token: csrfOf(retry.ui.nodes),
          identifier: email,
          webauthn_login: key.get(retryOptions),
        },
      }),
    );
    expect(upgraded.session.authenticator_assurance_level).toBe("aal2");
    const whoami = await other.call((f) => f.toSession());
    expect(whoami.data.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
      ["password", "aal1"],
      ["webauthn", "aal2"],
    ]);

    // Settings open at aal2; removing the key drops the identity back to aal1.
    const { data: settings } = await other.call((f) => f.createBrowserSettingsFlow());
    const { data: removed } = await other.call((f) =>
      f.updateSettingsFlow({
        flow: settings.id,
        updateSettingsFlowBody: {
          method: "webauthn",
          csrf_token: csrfOf(settings.ui.nodes),
          webauthn_remove: key.credentialId.toString("hex"),
        },
      }),
    );
    expect(removed.state).toBe("success");
    expect(nodeNamed(removed.ui.nodes, "webauthn_remove")).toBeUndefined();
    const third = new BrowserClient(kratos.publicUrl);
    await third.passwordLogin(email);
    expect((await third.call((f) => f.toSession())).data.authenticator_assurance_level).toBe("aal1");
  });

  it("is offered to browser flows only, as in Kratos", async () => {
    const { email } = await createEmployee(kratos);
    const { data: login } = await kratos.frontend.createNativeLoginFlow();
    const token = (
      await kratos.frontend.updateLoginFlow({
        flow: login.id,
        updateLoginFlowBody: { method: "password", identifier: email, password: "correct-horse-battery-staple-42" },
      })
    ).data.session_token;
    const { data: settings } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    expect(settings.ui.nodes.filter((n) => n.group === "webauthn")).toEqual([]);
  });
});
