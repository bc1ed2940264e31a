import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { csrfOf } from "../../../testing/flow-json";
import { BrowserClient, csrfOf as csrfOfNodes, expectFailure, inputAttributes } from "../../../testing/second-factor";
import { parseCreationOptions, parseRequestOptions, SoftwareAuthenticator } from "../../strategy/webauthn/testing/software-authenticator";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../../../testing/harness";

type Node = {
  type: string;
  group: string;
  attributes: { name?: string; type?: string; value?: unknown; autocomplete?: string; required?: boolean };
  messages: { id: number }[];
  meta: { label?: { id: number; text: string } };
};
type FlowJson = { id: string; active?: string; ui: { action: string; nodes: Node[]; messages?: { id: number }[] } };

const IDENTIFIER_FIRST = { selfservice: { flows: { login: { style: "identifier_first" } } } };
const summary = (flow: FlowJson) =>
  flow.ui.nodes.map(
    (n) => `${n.group}:${n.attributes.name}:${n.attributes.type}:${JSON.stringify(n.attributes.value ?? "").replace(/^"|"$/g, "")}`,
  );
const node = (flow: FlowJson, name: string, value?: string) =>
  flow.ui.nodes.find((n) => n.attributes.name === name && (value === undefined || n.attributes.value === value));

/**
 * `selfservice.flows.login.style: identifier_first`, as Kratos v26.2 runs it:
 * selfservice/strategy/idfirst/strategy_login.go (Strategy.Login,
 * PopulateLoginMethodIdentifierFirstIdentification), the strategies'
 * PopulateLoginMethodIdentifierFirstCredentials (password/login.go,
 * code/strategy_login.go) and login.Handler.NewLoginFlow's choice of hydrator.
 */
describe("identifier-first login", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let mitigated: TestKratos;
  const email = uniqueEmail("idfirst");

  beforeAll(async () => {
    pg = await startTestPostgres();
    [kratos, mitigated] = await Promise.all([
      startKratos(pg, "ciam_idfirst", { configOverrides: IDENTIFIER_FIRST }),
      startKratos(pg, "ciam_idfirst_mitigated", {
        configOverrides: { ...IDENTIFIER_FIRST, security: { account_enumeration: { mitigate: true } } },
      }),
    ]);
    await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email, name: { first: "Ada", last: "Lovelace" } },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
  });
  afterAll(async () => {
    await Promise.all([kratos?.close(), mitigated?.close()]);
    await pg?.stop();
  });

  async function newFlow(server = kratos): Promise<FlowJson> {
    const res = await fetch(`${server.publicUrl}/self-service/login/api`);
    expect(res.status).toBe(200);
    return (await res.json()) as FlowJson;
  }
  async function submit(flow: FlowJson, body: Record<string, unknown>, server = kratos): Promise<{ status: number; flow: FlowJson }> {
    const res = await fetch(`${server.publicUrl}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, flow: (await res.json()) as FlowJson };
  }

  it("first screen: only the identifier (group identifier_first, labelled from the schema) and Continue (1070009)", async () => {
    const flow = await newFlow();
    // Passwordless code and password add nothing to the first screen (their PopulateLoginMethodIdentifierFirstIdentification is empty).
    // login/sort.go does not list identifier_first, and SortByGroups puts an unlisted group (index -1) first.
    expect(summary(flow)).toEqual([
      "identifier_first:identifier:text:",
      "identifier_first:method:submit:identifier_first",
      "default:csrf_token:hidden:",
    ]);
    const identifier = node(flow, "identifier");
    expect(identifier?.attributes).toMatchObject({ value: "", required: true, autocomplete: "username webauthn" });
    expect(identifier?.meta.label).toMatchObject({ id: 1070002, text: "Email" });
    expect(node(flow, "method")?.meta.label).toEqual({ id: 1070009, text: "Continue", type: "info" });
  });

  it("second screen: the identifier hidden, the account's methods (password 1010022, code), 400 with the flow for JSON clients", async () => {
    const { status, flow } = await submit(await newFlow(), { method: "identifier_first", identifier: email });
    expect(status).toBe(400);
    expect(flow.active).toBe("identifier_first");
    // Not sorted again: the strategies append in Kratos' order (password before code).
    expect(summary(flow)).toEqual([
      "identifier_first:identifier:hidden:" + email,
      "default:csrf_token:hidden:",
      "password:password:password:",
      "password:method:submit:password",
      "code:method:submit:code",
    ]);
    expect(node(flow, "identifier")?.attributes.autocomplete).toBe("username webauthn");
    expect(node(flow, "method", "password")?.meta.label).toMatchObject({ id: 1010022, text: "Sign in with password" });
    expect(flow.ui.messages ?? []).toEqual([]);

    // The hidden identifier and the password sign in.
    const signedIn = await fetch(`${kratos.publicUrl}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD }),
    });
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { session: { identity: { traits: { email: string } } } }).session.identity.traits.email).toBe(email);
  });

  it("a wrong password keeps the second screen (4000006, identifier still hidden)", async () => {
    const { flow } = await submit(await newFlow(), { method: "identifier_first", identifier: email });
    const { status, flow: failed } = await submit(flow, { method: "password", identifier: email, password: "wrong-password-123" });
    expect(status).toBe(400);
    expect(failed.ui.messages?.map((m) => m.id)).toEqual([4000006]);
    expect(node(failed, "identifier")?.attributes).toMatchObject({ type: "hidden", value: email });
    expect(node(failed, "method", "identifier_first")).toBeUndefined();
  });

  it("an unknown identifier is refused on the identifier (4000037, schema.NewAccountNotFoundError) and the first screen stays", async () => {
    const unknown = uniqueEmail("nobody");
    const { status, flow } = await submit(await newFlow(), { method: "identifier_first", identifier: unknown });
    expect(status).toBe(400);
    const identifier = node(flow, "identifier");
    expect(identifier?.attributes).toMatchObject({ type: "text", value: unknown });
    expect(identifier?.messages.map((m) => m.id)).toEqual([4000037]);
    expect(node(flow, "method", "identifier_first")).toBeDefined();
    expect(node(flow, "password")).toBeUndefined();
  });

  // oryx/decoderx decodeURLValues leaves an empty string value out, so login.schema.json's minLength never sees it:
  // idfirst/strategy_login.go Login looks the empty identifier up and finds no account.
  it("an empty identifier is an identifier no account has (4000037), not a minLength refusal", async () => {
    const { status, flow } = await submit(await newFlow(), { method: "identifier_first", identifier: "" });
    expect(status).toBe(400);
    expect(node(flow, "identifier")?.messages.map((m) => m.id)).toEqual([4000037]);
  });

  // idfirst/strategy_login.go Login checks no `method`: on an aal1 flow every submission no earlier strategy takes is its.
  it("a submission with a method no other strategy takes is looked up as an identifier (no 'no strategy' 4010002)", async () => {
    const { status, flow } = await submit(await newFlow(), { method: "nope", identifier: email });
    expect(status).toBe(400);
    expect(flow.ui.messages ?? []).toEqual([]);
    expect(node(flow, "identifier")?.attributes).toMatchObject({ type: "hidden", value: email });
    expect(node(flow, "password")).toBeDefined();
  });

  it("with security.account_enumeration.mitigate an unknown identifier gets the same second screen", async () => {
    const { status, flow } = await submit(
      await newFlow(mitigated),
      { method: "identifier_first", identifier: uniqueEmail("ghost") },
      mitigated,
    );
    expect(status).toBe(400);
    expect(flow.active).toBe("identifier_first");
    expect(node(flow, "identifier")?.attributes.type).toBe("hidden");
    expect(node(flow, "password")).toBeDefined();
    expect(node(flow, "method", "code")).toBeDefined();
    expect(flow.ui.nodes.flatMap((n) => n.messages)).toEqual([]);
  });

  it("browser form posts get a 303 to the login UI with the flow", async () => {
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } });
    const flow = init.body as FlowJson;
    const res = await browser.request(`${kratos.publicUrl}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      form: { method: "identifier_first", identifier: email, csrf_token: csrfOf(flow) },
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`http://ciam.localhost:3000/login?flow=${flow.id}`);
    const fetched = await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${flow.id}`, {
      headers: { Accept: "application/json" },
    });
    expect(node(fetched.body as FlowJson, "identifier")?.attributes).toMatchObject({ type: "hidden", value: email });
  });

  it("an account with a passwordless key gets webauthn's submit (1010008), then its key options (webauthn/login.go)", async () => {
    const keyOwner = uniqueEmail("idfirst-key");
    await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email: keyOwner },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    const setup = new BrowserClient(kratos.publicUrl);
    await setup.passwordLogin(keyOwner);
    const { data: settings } = await setup.call((f) => f.createBrowserSettingsFlow());
    const key = new SoftwareAuthenticator("http://ciam.localhost:3000", "ciam.localhost");
    const creation = parseCreationOptions(String(inputAttributes(settings.ui.nodes, "webauthn_register_trigger")?.value));
    await setup.call((f) =>
      f.updateSettingsFlow({
        flow: settings.id,
        updateSettingsFlowBody: {
          method: "webauthn",
          csrf_token: csrfOfNodes(settings.ui.nodes),
          webauthn_register: key.create(creation),
          webauthn_register_displayname: "Key", // settings.schema.json requires one
        },
      }),
    );

    const browser = new BrowserClient(kratos.publicUrl);
    const { data: flow } = await browser.call((f) => f.createBrowserLoginFlow());
    const second = await expectFailure(
      browser.call((f) =>
        f.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: { method: "identifier_first", identifier: keyOwner, csrf_token: csrfOfNodes(flow.ui.nodes) },
        }),
      ),
    );
    const screen = second.data as unknown as FlowJson;
    expect(node(screen, "method", "webauthn")?.meta.label?.id).toBe(1010008);
    expect(node(screen, "method", "password")).toBeDefined();

    const options = await expectFailure(
      browser.call((f) =>
        f.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: { method: "webauthn", identifier: keyOwner, csrf_token: csrfOfNodes(flow.ui.nodes) },
        }),
      ),
    );
    // loginPasswordless sends a JSON client to the login UI (422), where the saved flow shows the key's form.
    expect(options.status).toBe(422);
    const withKey = (await browser.call((f) => f.getLoginFlow({ id: flow.id }))).data as unknown as FlowJson;
    expect(node(withKey, "identifier")?.attributes).toMatchObject({ type: "hidden", value: keyOwner });
    const trigger = node(withKey, "webauthn_login_trigger");
    expect(trigger).toBeDefined();
    const { data: done } = await browser.call((f) =>
      f.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: {
          method: "webauthn",
          identifier: keyOwner,
          csrf_token: csrfOfNodes(flow.ui.nodes),
          webauthn_login: key.get(parseRequestOptions(String(trigger?.attributes.value))),
        },
      }),
    );
    expect(done.session.authentication_methods?.map((m) => m.method)).toEqual(["webauthn"]);
  });

  it("answers hostile first-screen submissions without a 5xx", async () => {
    const bodies: unknown[] = [
      { method: "identifier_first", identifier: { $ne: "" } },
      { method: "identifier_first", identifier: ["a", "b"] },
      { method: "identifier_first", identifier: 42 },
      { method: "identifier_first", identifier: "x".repeat(100_000) },
      { method: "identifier_first", identifier: "\u0000' OR 1=1 --" },
      { method: "identifier_first" },
      { method: "password", identifier: email },
    ];
    for (const body of bodies) {
      const flow = await newFlow();
      const { status } = await submit(flow, body as Record<string, unknown>);
      expect(status, JSON.stringify(body).slice(0, 80)).toBeLessThan(500);
    }
  });

  it("refresh and aal2 flows keep the one-step hydrators (NewLoginFlow: refresh takes precedence)", async () => {
    const { data } = await kratos.frontend.updateLoginFlow({
      flow: (await kratos.frontend.createNativeLoginFlow()).data.id,
      updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
    });
    const res = await fetch(`${kratos.publicUrl}/self-service/login/api?refresh=true`, {
      headers: { "X-Session-Token": data.session_token ?? "" },
    });
    const refresh = (await res.json()) as FlowJson;
    expect(node(refresh, "method", "identifier_first")).toBeUndefined();
    expect(node(refresh, "password")).toBeDefined();
  });

  // driver/registry_default.go selfServiceStrategies lists password, oidc, code, …: idfirst.Strategy.Login calls their
  // PopulateLoginMethodIdentifierFirstCredentials in that order and does not sort, and oidc's removes every provider
  // button (removeProviders) before appending the linked ones — so they land between the password and the code.
  it("second screen of an account with a linked provider: password, then that provider, then code (idfirst.Strategy.Login)", async () => {
    const mapper = `base64://${Buffer.from("local c = std.extVar('claims'); { identity: { traits: { email: c.email } } }").toString("base64")}`;
    const provider = (id: string, label: string) => ({
      id,
      label,
      provider: "generic",
      client_id: "client",
      client_secret: "secret",
      issuer_url: "http://127.0.0.1:9/",
      mapper_url: mapper,
    });
    const social = await startKratos(pg, "ciam_idfirst_oidc", {
      configOverrides: {
        selfservice: {
          flows: { login: { style: "identifier_first" } },
          methods: { oidc: { enabled: true, config: { providers: [provider("google", "Google"), provider("github", "GitHub")] } } },
        },
      },
    });
    try {
      const linkedEmail = uniqueEmail("idfirst-oidc");
      await social.identity.createIdentity({
        createIdentityBody: {
          schema_id: "default",
          traits: { email: linkedEmail, name: { first: "Ada", last: "Lovelace" } },
          credentials: {
            password: { config: { password: STRONG_PASSWORD } },
            oidc: { config: { providers: [{ provider: "github", subject: "gh-1" }] } },
          },
        },
      });
      const { status, flow } = await submit(await newFlow(social), { method: "identifier_first", identifier: linkedEmail }, social);
      expect(status).toBe(400);
      expect(summary(flow)).toEqual([
        "identifier_first:identifier:hidden:" + linkedEmail,
        "default:csrf_token:hidden:",
        "password:password:password:",
        "password:method:submit:password",
        "oidc:provider:submit:github",
        "code:method:submit:code",
      ]);
    } finally {
      await social.close();
    }
  });

  it("with passkeys on, the identifier_first identifier takes the place of the passkey one: a single identifier input (idfirst SetNode upserts)", async () => {
    const withPasskeys = await startKratos(pg, "ciam_idfirst_passkey", {
      configOverrides: {
        selfservice: {
          flows: { login: { style: "identifier_first" } },
          methods: {
            passkey: { enabled: true, config: { rp: { id: "localhost", display_name: "Olympus", origins: ["http://localhost:4455"] } } },
          },
        },
      },
    });
    try {
      const owner = uniqueEmail("idfirst-passkey");
      await withPasskeys.identity.createIdentity({
        createIdentityBody: {
          schema_id: "default",
          traits: { email: owner, name: { first: "Ada", last: "Lovelace" } },
          credentials: { password: { config: { password: STRONG_PASSWORD } } },
        },
      });
      const names = (flow: FlowJson) => flow.ui.nodes.map((n) => `${n.group}:${n.attributes.name}:${n.attributes.type}`);
      // passkey's populateLoginMethodForPasskeys upserts `identifier` (default group) first; idfirst's
      // PopulateLoginMethodIdentifierFirstIdentification then SetNodes its own over it, whatever the group.
      const first = await newFlow(withPasskeys);
      expect(names(first)).toEqual([
        "identifier_first:identifier:text",
        "identifier_first:method:submit",
        "default:csrf_token:hidden",
        // Same group, neither listed by login/sort.go: ordered by their values' %v ("<nil>" before the options' JSON).
        "passkey:passkey_login:hidden",
        "passkey:passkey_challenge:hidden",
      ]);

      // The second screen keeps that form and appends the account's methods (no passkey: no trigger).
      const { status, flow } = await submit(first, { method: "identifier_first", identifier: owner }, withPasskeys);
      expect(status).toBe(400);
      expect(names(flow)).toEqual([
        "identifier_first:identifier:hidden",
        "default:csrf_token:hidden",
        "passkey:passkey_login:hidden",
        "passkey:passkey_challenge:hidden",
        "password:password:password",
        "password:method:submit",
        "code:method:submit",
      ]);
      expect(node(flow, "identifier")?.attributes.value).toBe(owner);
    } finally {
      await withPasskeys.close();
    }
  });

  it("the default style (unified) renders no identifier_first node", async () => {
    const unified = await startKratos(pg, "ciam_idfirst_unified");
    try {
      const res = await fetch(`${unified.publicUrl}/self-service/login/api`);
      const flow = (await res.json()) as FlowJson;
      expect(flow.ui.nodes.some((n) => n.group === "identifier_first")).toBe(false);
      expect(node(flow, "password")).toBeDefined();
    } finally {
      await unified.close();
    }
  });
});
