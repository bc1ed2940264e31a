import type { RegistrationFlow, UiText } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { csrfOf } from "../../../testing/flow-json";
import { BrowserClient, csrfOf as csrfOfNodes, expectFailure, inputAttributes } from "../../../testing/second-factor";
import { parseCreationOptions, SoftwareAuthenticator } from "../../strategy/webauthn/testing/software-authenticator";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { duplicateCredentialsWithHints, goTitle } from "../../../ui/duplicate-credentials";

async function failure(promise: Promise<unknown>): Promise<{ status: number; data: RegistrationFlow }> {
  try {
    await promise;
  } catch (error) {
    // @ory/client bundles its own axios, so the error is matched by shape.
    const response = (error as { response?: { status: number; data: RegistrationFlow } }).response;
    if (response) return response;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("text/message_validation.go NewErrorValidationDuplicateCredentialsWithHints (4000028)", () => {
  it("names the identifier, the readable methods (last one with `or`) and the title-cased providers", () => {
    expect(duplicateCredentialsWithHints(["oidc", "password"], ["github", "google"], "ada@example.com")).toEqual({
      id: 4000028,
      text: "You tried signing in with ada@example.com which is already in use by another account. You can sign in using social sign in, or your password. You can sign in using one of the following social sign in providers: Github, Google.",
      type: "error",
      context: {
        available_credential_types: ["oidc", "password"],
        available_oidc_providers: ["github", "google"],
        credential_identifier_hint: "ada@example.com",
      },
    });
  });

  it("falls back to a generic identifier, shows types without a readable name as they are, keeps templated providers", () => {
    expect(duplicateCredentialsWithHints(["code"], ["{custom}"], "").text).toBe(
      "You tried signing in with an email, phone, or username which is already in use by another account. You can sign in using code. You can sign in using one of the following social sign in providers: {custom}.",
    );
    expect(duplicateCredentialsWithHints(["code", "passkey", "webauthn"], [], "x").text).toBe(
      "You tried signing in with x which is already in use by another account. You can sign in using your passkey, or your passkey or a security key.",
    );
    expect(duplicateCredentialsWithHints([], [], "x").text).toBe("You tried signing in with x which is already in use by another account.");
  });

  it("title-cases provider ids word by word as golang.org/x/text/cases does", () => {
    expect(["GitHub", "github-enterprise", "my_idp", "azure ad", "a.b", "o'neil", "idp2"].map(goTitle)).toEqual([
      "Github",
      "Github-Enterprise",
      "My_idp",
      "Azure Ad",
      "A.b",
      "O'neil",
      "Idp2",
    ]);
  });
});

/**
 * identity/manager.go Create → findExistingAuthMethod and
 * selfservice/flow/registration/error.go WriteFlowError →
 * schema/errors.go NewDuplicateCredentialsError: with
 * `selfservice.flows.registration.login_hints: true` a taken identifier is
 * answered with 4000028 on the flow, naming how to sign in to the account.
 */
describe("duplicate sign-ups with registration login_hints (identity/manager.go findExistingAuthMethod)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(
    async () =>
      ({ pg, kratos } = await startKratosWithPostgres("ciam_duplicate_hints", {
        configOverrides: { selfservice: { flows: { registration: { login_hints: true } } } },
      })),
  );
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function signUp(email: string) {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    return kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email, name: { first: "Ada", last: "L" } } },
    });
  }

  const messagesOf = (flow: RegistrationFlow): UiText[] => flow.ui.messages ?? [];

  it("answers a password sign-up of a password account with 4000028 (400, API flow)", async () => {
    const email = uniqueEmail("dup-hints");
    await signUp(email);
    const dup = await failure(signUp(email.toUpperCase()));
    expect(dup.status).toBe(400);
    expect(messagesOf(dup.data)).toEqual([
      {
        id: 4000028,
        text: `You tried signing in with ${email} which is already in use by another account. You can sign in using your password.`,
        type: "error",
        // The CIAM schema makes the email a code identifier too: the account's code credential counts.
        context: { available_credential_types: ["code", "password"], available_oidc_providers: [], credential_identifier_hint: email },
      },
    ]);
    expect((await kratos.identity.listIdentities({ credentialsIdentifier: email })).data).toHaveLength(1);
  });

  /**
   * The duplicate is found by PostRegistrationHook after the strategy's Register
   * succeeded, so no handleRegistrationError puts the submitted traits into the
   * nodes: they keep the values the stored flow had (registration/handler.go
   * updateRegistrationFlow → WriteFlowError).
   */
  it("keeps the stored flow's node values, not the submitted ones", async () => {
    const taken = uniqueEmail("dup-values");
    await signUp(taken);
    const valueOf = (flow: RegistrationFlow, name: string) =>
      flow.ui.nodes.find((n) => "name" in n.attributes && n.attributes.name === name)?.attributes as { value?: unknown } | undefined;

    const { data: fresh } = await kratos.frontend.createNativeRegistrationFlow();
    const submit = (flow: string, email: string, password: string) =>
      failure(
        kratos.frontend.updateRegistrationFlow({
          flow,
          updateRegistrationFlowBody: { method: "password", password, traits: { email, name: { first: "Bo" } } },
        }),
      );
    const first = await submit(fresh.id, taken, STRONG_PASSWORD);
    expect(messagesOf(first.data).map((m) => m.id)).toEqual([4000028]);
    expect(valueOf(first.data, "traits.email")?.value).toBeUndefined();
    expect(valueOf(first.data, "traits.name.first")?.value).toBeUndefined();

    // A refused password echoes the traits into the stored flow (the strategy's handleRegistrationError) …
    const other = uniqueEmail("dup-values-other");
    const refused = await submit(fresh.id, other, "");
    expect(valueOf(refused.data, "traits.email")?.value).toBe(other);
    // … and a later duplicate leaves them as they were.
    const again = await submit(fresh.id, taken, STRONG_PASSWORD);
    expect(messagesOf(again.data).map((m) => m.id)).toEqual([4000028]);
    expect(valueOf(again.data, "traits.email")?.value).toBe(other);
  });

  it("lists the linked providers of an account made by the admin API (oidc + code, no password hash)", async () => {
    const email = uniqueEmail("dup-oidc");
    await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email },
        credentials: {
          oidc: {
            config: {
              providers: [
                { provider: "google", subject: "s-1" },
                { provider: "github", subject: "s-2" },
              ],
            },
          },
        },
      },
    });
    const dup = await failure(signUp(email));
    expect(messagesOf(dup.data)[0]).toEqual({
      id: 4000028,
      text: `You tried signing in with ${email} which is already in use by another account. You can sign in using social sign in. You can sign in using one of the following social sign in providers: Github, Google.`,
      type: "error",
      context: {
        available_credential_types: ["code", "oidc"],
        available_oidc_providers: ["github", "google"],
        credential_identifier_hint: email,
      },
    });
  });

  /**
   * webauthn/registration.go Register verifies the key's answer (CreateCredential)
   * before the identity is stored; the taken identifier shows only then, as for
   * a password. CIAM config: passwordless keys, rp ciam.localhost.
   */
  it("answers a security-key sign-up with a taken email with 4000028 once the key's answer is verified", async () => {
    const taken = uniqueEmail("dup-key");
    await signUp(taken);
    const browser = new BrowserClient(kratos.publicUrl);
    const key = new SoftwareAuthenticator("http://ciam.localhost:3000", "ciam.localhost");
    const submit = async (answer: (options: ReturnType<typeof parseCreationOptions>) => string) => {
      const { data: flow } = await browser.call((f) => f.createBrowserRegistrationFlow());
      const options = parseCreationOptions(String(inputAttributes(flow.ui.nodes, "webauthn_register_trigger")?.value));
      return expectFailure(
        browser.call((f) =>
          f.updateRegistrationFlow({
            flow: flow.id,
            updateRegistrationFlowBody: {
              method: "webauthn",
              csrf_token: csrfOfNodes(flow.ui.nodes),
              traits: { email: taken },
              webauthn_register: answer(options),
            },
          }),
        ),
      );
    };
    // An answer that does not verify is refused for what it is, not as a duplicate.
    const unverified = await submit(() => "{}");
    expect(JSON.stringify(unverified.data)).not.toMatch(/4000007|4000028/);
    const dup = await submit((options) => key.create(options));
    expect(dup.status).toBe(400);
    expect((dup.data.ui as RegistrationFlow["ui"]).messages).toEqual([
      {
        id: 4000028,
        text: `You tried signing in with ${taken} which is already in use by another account. You can sign in using your password.`,
        type: "error",
        context: { available_credential_types: ["code", "password"], available_oidc_providers: [], credential_identifier_hint: taken },
      },
    ]);
  });

  it("redirects a browser form post (302) to the registration UI, the flow carrying 4000028", async () => {
    const email = uniqueEmail("dup-browser");
    await signUp(email);
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/registration/browser`);
    const id = new URL(init.location ?? "").searchParams.get("flow") ?? "";
    const flowUrl = `${kratos.publicUrl}/self-service/registration/flows?id=${id}`;
    const flow = (await browser.request(flowUrl, { headers: { Accept: "application/json" } })).body as RegistrationFlow;
    const res = await browser.request(flow.ui.action, {
      form: { method: "password", csrf_token: csrfOf(flow), password: STRONG_PASSWORD, "traits.email": email },
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`http://ciam.localhost:3000/registration?flow=${id}`);
    const shown = (await browser.request(flowUrl, { headers: { Accept: "application/json" } })).body as RegistrationFlow;
    expect(messagesOf(shown).map((m) => m.id)).toEqual([4000028]);
  });
});
