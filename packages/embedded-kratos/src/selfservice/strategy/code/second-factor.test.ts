import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeFrom, TestSmtpServer } from "../../../courier/test-smtp";
import { startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { traitsSchema } from "../../../testing/identity-schema-documents";
import { TestBrowser } from "../../../testing/browser";
import { createIdentity, csrfOf, startMailKratos, startMailKratosWithSchemaFiles, type MailKratos } from "./test-helpers";
import { sortCodeAddresses } from "./second-factor";
import { PLATFORM_DEFAULT_SCHEMA, type KratosWithSchemaFiles } from "../../../testing/identity-schema-files";

/**
 * Codes as a second factor (`selfservice.methods.code.mfa_enabled`, Kratos
 * selfservice/strategy/code): strategy.go CountActiveMultiFactorCredentials
 * (a code address is a second factor, so `highest_available` asks for aal2),
 * PopulateMethod / populateChooseMethodFlow (a 1010023 button per address,
 * FindCodeAddresses with `via`), strategy_login.go FastLogin2FA (a single
 * address gets its code when the flow is created), Login (an `address`
 * makes the submission the code strategy's whatever its method) and
 * loginVerifyCode (the session identity's code, CompletedAuthenticationMethod
 * aal2); the expected forms follow Kratos' TestLoginCodeStrategy suite=mfa
 * snapshots (.snapshots/TestLoginCodeStrategy-test=SPA_client-suite=mfa-*).
 */
const TWO_ADDRESSES = traitsSchema(
  {
    email: {
      type: "string",
      format: "email",
      "ory.sh/kratos": { credentials: { password: { identifier: true }, code: { identifier: true, via: "email" } } },
    },
    backup: { type: "string", format: "email", "ory.sh/kratos": { credentials: { code: { identifier: true, via: "email" } } } },
  },
  { $id: "https://example.com/two-code-addresses.schema.json", required: ["email"] },
);

interface UiNode {
  type: string;
  group: string;
  attributes: { name?: string; type?: string; value?: unknown; required?: boolean };
  meta: { label?: { id: number; text: string; context?: Record<string, unknown> } };
}
interface FlowBody {
  id: string;
  state: string;
  active?: string;
  requested_aal: string;
  ui: { action: string; messages?: { id: number }[]; nodes: UiNode[] };
  session?: { authenticator_assurance_level: string; authentication_methods: { method: string; aal: string }[] };
  error?: { id?: string; reason?: string };
}

const shape = (nodes: UiNode[]) =>
  nodes.map((n) => ({
    group: n.group,
    name: n.attributes.name,
    type: n.attributes.type,
    value: n.attributes.value,
    label: n.meta.label?.id,
    context: n.meta.label?.context,
  }));
const messageIds = (flow: FlowBody) => flow.ui.messages?.map((m) => m.id);

/** A JSON request as a native app sends it: the session token, when there is one, in X-Session-Token. */
async function call(method: string, url: string, token: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: {
      Accept: "application/json",
      ...(token ? { "X-Session-Token": token } : {}),
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as FlowBody & { session_token?: string } };
}

/** A native password login: the aal1 session token. */
async function passwordLogin(kratos: TestKratos, identifier: string): Promise<string> {
  const { data: flow } = await kratos.frontend.createNativeLoginFlow();
  const { body } = await call("POST", flow.ui.action, "", { method: "password", identifier, password: STRONG_PASSWORD });
  if (!body.session_token) throw new Error(`no session token: ${JSON.stringify(body)}`);
  return body.session_token;
}

/** A native login flow asking for aal2 (`query` adds more parameters, `&via=…`). */
const aal2Flow = (kratos: TestKratos, token: string, query = "") =>
  call("GET", `${kratos.publicUrl}/self-service/login/api?aal=aal2${query}`, token);

describe("FindCodeAddresses' re-sort (strategy.go, sort.SliceStable on address and channel together)", () => {
  const sms = (to: string) => ({ to, via: "sms" });
  const mail = (to: string) => ({ to, via: "email" });

  it("moves an e-mail address ahead of a phone number only when it sorts before it", () => {
    expect(sortCodeAddresses([sms("+4917613213110"), mail("#team@example.com")])).toEqual([
      mail("#team@example.com"),
      sms("+4917613213110"),
    ]);
    expect(sortCodeAddresses([sms("+4917613213110"), mail("team@example.com")])).toEqual([sms("+4917613213110"), mail("team@example.com")]);
  });

  it("stops at any address the comparison does not call greater, as Go's insertion sort does", () => {
    // "#b" is less than "+49…" but not than "a@…" (same channel), so it stays behind it.
    const stored = [sms("+4917613213110"), mail("a@example.com"), mail("#b@example.com"), sms("+4917613213111")];
    expect(sortCodeAddresses(stored)).toEqual(stored);
    expect(sortCodeAddresses([mail("z@example.com"), sms("+4917613213110"), mail("!a@example.com")])).toEqual([
      mail("z@example.com"),
      mail("!a@example.com"),
      sms("+4917613213110"),
    ]);
  });
});

describe("code as a second factor (mfa_enabled)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    started = await startMailKratosWithSchemaFiles(
      "ciam_code_mfa",
      [PLATFORM_DEFAULT_SCHEMA, { id: "two_addresses", document: TWO_ADDRESSES }],
      smtp,
      { selfservice: { methods: { code: { enabled: true, passwordless_enabled: false, mfa_enabled: true } } } },
    );
    kratos = started.kratos;
  });
  afterAll(async () => {
    await started?.stop();
    await smtp?.stop();
  });

  async function customer(schemaId: string, traits: Record<string, string>): Promise<string> {
    const { data } = await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: schemaId, traits, credentials: { password: { config: { password: STRONG_PASSWORD } } } },
    });
    return data.id;
  }

  it("counts a code address as a second factor: whoami with highest_available asks for aal2 (CountActiveMultiFactorCredentials)", async () => {
    const email = uniqueEmail("mfa-count");
    await customer("default", { email });
    const token = await passwordLogin(kratos, email);
    const whoami = await call("GET", `${kratos.publicUrl}/sessions/whoami`, token);
    expect(whoami.status).toBe(403);
    expect(whoami.body.error?.id).toBe("session_aal2_required");
  });

  it("sends the code at once to an identity's only address and signs in at aal2 (FastLogin2FA, loginVerifyCode)", async () => {
    const email = uniqueEmail("mfa-fast");
    await customer("default", { email });
    const token = await passwordLogin(kratos, email);

    const created = await aal2Flow(kratos, token);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ state: "sent_email", active: "code", requested_aal: "aal2" });
    expect(messageIds(created.body)).toEqual([1010014]);
    const label = { label: 1010023, context: { address: email, channel: "email" } };
    // strategy.go populateEmailSentFlow's order, unsorted, and no CSRF token for a native flow (PopulateMethod sets it
    // for browser flows only): .snapshots/TestLoginCodeStrategy-test=Native_client-suite=mfa-case=verify_initial_payload_with_fast_login.json
    expect(shape(created.body.ui.nodes)).toEqual([
      { group: "code", name: "identifier", type: "hidden", value: email, ...label },
      { group: "code", name: "method", type: "hidden", value: "code", label: undefined, context: undefined },
      { group: "code", name: "code", type: "text", value: undefined, label: 1070013, context: undefined },
      { group: "code", name: "method", type: "submit", value: "code", label: 1070009, context: undefined },
      { group: "code", name: "resend", type: "submit", value: "code", label: 1070008, context: undefined },
    ]);

    const code = codeFrom(await smtp.waitFor(email));
    const wrong = await call("POST", created.body.ui.action, token, { method: "code", code: code === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expect(messageIds(wrong.body)).toEqual([4010008]);
    // HandleLoginError(hideIdentifier): a plain hidden `identifier` of what was sent (nothing here) replaces the address input.
    expect(shape(wrong.body.ui.nodes).filter((n) => n.name === "identifier")).toEqual([
      { group: "default", name: "identifier", type: "hidden", value: "", label: undefined, context: undefined },
    ]);
    expect(wrong.body.ui.nodes).toHaveLength(6);

    const done = await call("POST", created.body.ui.action, token, { method: "code", code });
    expect(done.status).toBe(200);
    expect(done.body.session?.authenticator_assurance_level).toBe("aal2");
    expect(done.body.session?.authentication_methods.map(({ method, aal }) => ({ method, aal }))).toEqual([
      { method: "password", aal: "aal1" },
      { method: "code", aal: "aal2" },
    ]);
    expect((await call("GET", `${kratos.publicUrl}/sessions/whoami`, token)).status).toBe(200);
  });

  it("answers a browser flow's code-sent form unsorted, the CSRF token last (populateEmailSentFlow, PopulateMethod)", async () => {
    const email = uniqueEmail("mfa-browser");
    await customer("default", { email });
    const browser = new TestBrowser();
    const first = await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } });
    const firstFlow = first.body as FlowBody;
    const signedIn = await browser.request(firstFlow.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(firstFlow) },
    });
    // The session is aal1 and a second factor exists: 422 browser_location_change_required to the aal2 login.
    expect(signedIn.status).toBe(422);

    const created = await browser.request(`${kratos.publicUrl}/self-service/login/browser?aal=aal2`, {
      headers: { Accept: "application/json" },
    });
    const flow = created.body as FlowBody;
    expect(flow.state).toBe("sent_email");
    // .snapshots/TestLoginCodeStrategy-test=Browser_client-suite=mfa-case=verify_initial_payload_with_fast_login.json
    expect(shape(flow.ui.nodes).map((n) => `${n.group}/${n.name}/${n.type}`)).toEqual([
      "code/identifier/hidden",
      "code/method/hidden",
      "code/code/text",
      "code/method/submit",
      "code/resend/submit",
      "default/csrf_token/hidden",
    ]);
  });

  it("offers a button per address and takes a submission carrying only `address` (populateChooseMethodFlow, Login)", async () => {
    const email = uniqueEmail("mfa-two");
    const backup = uniqueEmail("mfa-backup");
    await customer("two_addresses", { email, backup });
    const token = await passwordLogin(kratos, email);

    const created = await aal2Flow(kratos, token);
    expect(created.status).toBe(200);
    expect(created.body.state).toBe("choose_method");
    expect(messageIds(created.body)).toEqual([1010004]);
    const buttons = shape(created.body.ui.nodes).filter((n) => n.name === "address");
    expect(buttons).toEqual(
      [email, backup].sort().map((to) => ({
        group: "code",
        name: "address",
        type: "submit",
        value: to,
        label: 1010023,
        context: { address: to, channel: "email" },
      })),
    );

    // No `method`: the address alone makes it the code strategy's.
    const sent = await call("POST", created.body.ui.action, token, { address: backup });
    expect(sent.status, JSON.stringify(sent.body)).toBe(400);
    expect(sent.body.state).toBe("sent_email");
    expect(messageIds(sent.body)).toEqual([1010014]);
    // populateEmailSentFlow: the buttons, hidden and renamed, in the form's order (sorted by address), the first
    // holding the address sent (NewCodeUINodes); then the code form, unsorted (loginSendCode does not sort).
    const [first, second] = [email, backup].sort() as [string, string];
    const hiddenAddress = (to: string, value: string) => ({
      group: "code",
      name: "identifier",
      type: "hidden",
      value,
      label: 1010023,
      context: { address: to, channel: "email" },
    });
    expect(shape(sent.body.ui.nodes)).toEqual([
      hiddenAddress(first, backup),
      hiddenAddress(second, second),
      { group: "code", name: "method", type: "hidden", value: "code", label: undefined, context: undefined },
      { group: "code", name: "code", type: "text", value: undefined, label: 1070013, context: undefined },
      { group: "code", name: "method", type: "submit", value: "code", label: 1070009, context: undefined },
      { group: "code", name: "resend", type: "submit", value: "code", label: 1070008, context: undefined },
    ]);

    const code = codeFrom(await smtp.waitFor(backup));
    const done = await call("POST", sent.body.ui.action, token, { method: "code", code });
    expect(done.status).toBe(200);
    expect(done.body.session?.authenticator_assurance_level).toBe("aal2");
  });

  it("narrows the addresses to the `via` trait, and refuses a trait that is empty or no code address (FindCodeAddresses)", async () => {
    const email = uniqueEmail("mfa-via");
    const backup = uniqueEmail("mfa-via-backup");
    await customer("two_addresses", { email, backup });
    const token = await passwordLogin(kratos, email);

    // One address left: FastLogin2FA sends it its code.
    const narrowed = await aal2Flow(kratos, token, "&via=backup");
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.state).toBe("sent_email");
    expect(codeFrom(await smtp.waitFor(backup))).toMatch(/^\d{6}$/);

    const missing = await aal2Flow(kratos, token, "&via=nickname");
    expect(missing.status).toBe(400);
    expect(missing.body.error?.reason).toBe("No value found for trait nickname in the current identity.");
  });

  it("answers another identity's address as an unknown one and sends it nothing (deliberate deviation from findIdentityForIdentifier)", async () => {
    const email = uniqueEmail("mfa-self");
    const backup = uniqueEmail("mfa-self-backup");
    const other = uniqueEmail("mfa-other");
    const unknown = uniqueEmail("mfa-unknown");
    await customer("two_addresses", { email, backup });
    await customer("default", { email: other });
    const token = await passwordLogin(kratos, email);

    const created = await aal2Flow(kratos, token);
    expect(created.body.state).toBe("choose_method");
    // Kratos would mail `other` a code (1010014) while refusing `unknown` (4000035), telling which addresses exist.
    const foreign = await call("POST", created.body.ui.action, token, { method: "code", address: other });
    const missing = await call("POST", created.body.ui.action, token, { method: "code", address: unknown });
    for (const answer of [foreign, missing]) {
      expect(answer.status).toBe(400);
      expect(answer.body.state).toBe("choose_method");
      expect(messageIds(answer.body)).toEqual([4000035]);
    }
    expect(shape(foreign.body.ui.nodes)).toEqual(shape(missing.body.ui.nodes));
    const queued = await fetch(`${kratos.adminUrl}/admin/courier/messages?recipient=${encodeURIComponent(other)}`);
    expect(await queued.json()).toEqual([]);
  });

  it("answers 400 for a `via` naming an inherited property, not 500 (FindCodeAddresses: gjson finds no such trait)", async () => {
    const email = uniqueEmail("mfa-via-proto");
    await customer("default", { email });
    const token = await passwordLogin(kratos, email);
    for (const via of ["constructor", "toString", "__proto__", "email.length", "constructor.name"]) {
      const answer = await aal2Flow(kratos, token, `&via=${via}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error?.reason).toBe(`No value found for trait ${via} in the current identity.`);
    }
  });

  it("never compares more than max_submissions codes under parallel wrong submissions (incrementOTPCodeSubmitCount)", async () => {
    const email = uniqueEmail("mfa-parallel");
    await customer("default", { email });
    const token = await passwordLogin(kratos, email);
    const created = await aal2Flow(kratos, token);
    expect(created.body.state).toBe("sent_email");
    const code = codeFrom(await smtp.waitFor(email));
    const wrong = code === "000000" ? "111111" : "000000";
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => call("POST", created.body.ui.action, token, { method: "code", code: wrong })),
    );
    // 4010008: the code was compared; 4000001: refused before comparing. The default limit is 5.
    const compared = answers.filter((a) => messageIds(a.body)?.includes(4010008)).length;
    expect(compared).toBeLessThanOrEqual(5);
    expect(answers.every((a) => a.status === 400)).toBe(true);
    // The count stayed above the limit, so even the right code is refused now.
    const late = await call("POST", created.body.ui.action, token, { method: "code", code });
    expect(messageIds(late.body)).toEqual([4000001]);
  });
});

/**
 * With `passwordless_enabled` on as well, Kratos' Login takes the
 * passwordless branch first (CheckAAL(aal1)), so an aal2 flow is never the
 * code strategy's to submit — though PopulateMethod and FastLogin2FA only
 * ask `mfa_enabled` and still offer and send the code — and a passwordless
 * sign-in records code at aal2 (CompletedAuthenticationMethod), which
 * SetAuthenticatorAssuranceLevel's fallback makes an aal1 session.
 */
describe("code with both passwordless_enabled and mfa_enabled (strategy_login.go Login)", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_code_both", smtp, {
      selfservice: { methods: { code: { enabled: true, passwordless_enabled: true, mfa_enabled: true } } },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  const post = (url: string, body: unknown, token = "") => call("POST", url, token, body);

  it("signs in without a password at aal1 with code recorded as aal2, asks for aal2, and refuses the code on the aal2 flow it sent", async () => {
    const email = uniqueEmail("both");
    await createIdentity(kratos, email);
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    await post(flow.ui.action, { method: "code", identifier: email });
    const signedIn = await post(flow.ui.action, { method: "code", identifier: email, code: codeFrom(await smtp.waitFor(email)) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.session?.authenticator_assurance_level).toBe("aal1");
    expect(signedIn.body.session?.authentication_methods.map(({ method, aal }) => ({ method, aal }))).toEqual([
      { method: "code", aal: "aal2" },
    ]);
    const token = signedIn.body.session_token ?? "";
    // SetAvailableAAL: the code address alone (no password, no first factor counted here) makes aal2 available, so whoami asks for it.
    const whoami = await fetch(`${kratos.publicUrl}/sessions/whoami`, {
      headers: { Accept: "application/json", "X-Session-Token": token },
    });
    expect(whoami.status).toBe(403);

    const res = await fetch(`${kratos.publicUrl}/self-service/login/api?aal=aal2`, {
      headers: { Accept: "application/json", "X-Session-Token": token },
    });
    const stepUp = (await res.json()) as FlowBody;
    expect(stepUp.state).toBe("sent_email");
    const refused = await post(stepUp.ui.action, { method: "code", code: codeFrom(await smtp.waitFor(email)) }, token);
    expect(refused.status).toBe(400);
    expect(messageIds(refused.body)).toEqual([4010002]);
  });
});

/**
 * `selfservice.methods.code.missing_credential_fallback_enabled` (Kratos
 * strategy_mfa.go FindCodeAddressCandidates → FindAllIdentifiers,
 * strategy_login.go findIdentityForIdentifier: the isFallback branch and
 * findIdentifierInVerifiableAddress, FastLogin2FA's `c == 0 &&
 * !fallbackEnabled`): an identity whose schema marks no code identifier may
 * still get its codes, at its verifiable addresses.
 */
const NO_CODE_CREDENTIAL = traitsSchema(
  {
    email: {
      type: "string",
      format: "email",
      "ory.sh/kratos": { credentials: { password: { identifier: true } }, verification: { via: "email" } },
    },
    backup: { type: "string", format: "email", "ory.sh/kratos": { verification: { via: "email" } } },
  },
  { $id: "https://example.com/no-code-credential.schema.json", required: ["email"] },
);

describe("code as a second factor with missing_credential_fallback_enabled", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    started = await startMailKratosWithSchemaFiles(
      "ciam_code_mfa_fallback",
      [PLATFORM_DEFAULT_SCHEMA, { id: "no_code", document: NO_CODE_CREDENTIAL }],
      smtp,
      {
        selfservice: {
          methods: {
            code: { enabled: true, passwordless_enabled: false, mfa_enabled: true, config: { missing_credential_fallback_enabled: true } },
          },
        },
      },
    );
    kratos = started.kratos;
  });
  afterAll(async () => {
    await started?.stop();
    await smtp?.stop();
  });

  async function signedIn(traits: Record<string, string>): Promise<string> {
    await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "no_code", traits, credentials: { password: { config: { password: STRONG_PASSWORD } } } },
    });
    return passwordLogin(kratos, traits.email ?? "");
  }
  const queuedFor = async (recipient: string) =>
    (await (await fetch(`${kratos.adminUrl}/admin/courier/messages?recipient=${encodeURIComponent(recipient)}`)).json()) as unknown[];

  it("sends the only verifiable address its code at once and signs in at aal2 (FastLogin2FA, isFallback branch)", async () => {
    const email = uniqueEmail("fallback-one");
    const token = await signedIn({ email });
    const created = await aal2Flow(kratos, token);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ state: "sent_email", active: "code" });
    const done = await call("POST", created.body.ui.action, token, { method: "code", code: codeFrom(await smtp.waitFor(email)) });
    expect(done.status).toBe(200);
    expect(done.body.session?.authenticator_assurance_level).toBe("aal2");
  });

  it("offers every verifiable address and sends to one no credential holds (FindAllIdentifiers, findIdentifierInVerifiableAddress)", async () => {
    const email = uniqueEmail("fallback-two");
    const backup = uniqueEmail("fallback-backup");
    const token = await signedIn({ email, backup });
    const created = await aal2Flow(kratos, token);
    expect(created.body.state).toBe("choose_method");
    const buttons = shape(created.body.ui.nodes).filter((n) => n.name === "address");
    expect(buttons.map((n) => n.value).sort()).toEqual([email, backup].sort());
    expect(buttons.every((n) => n.label === 1010023)).toBe(true);

    const sent = await call("POST", created.body.ui.action, token, { address: backup });
    expect(sent.status).toBe(400);
    expect(sent.body.state).toBe("sent_email");
    const done = await call("POST", sent.body.ui.action, token, { method: "code", code: codeFrom(await smtp.waitFor(backup)) });
    expect(done.status).toBe(200);
    expect(done.body.session?.authenticator_assurance_level).toBe("aal2");
  });

  it("answers an address of no account, and another identity's, with 4010010 and sends nothing (findIdentifierInVerifiableAddress)", async () => {
    const email = uniqueEmail("fallback-self");
    const backup = uniqueEmail("fallback-self-backup");
    const other = uniqueEmail("fallback-other");
    await signedIn({ email: other });
    const token = await signedIn({ email, backup });
    const created = await aal2Flow(kratos, token);
    const unknown = await call("POST", created.body.ui.action, token, { method: "code", address: uniqueEmail("fallback-unknown") });
    const foreign = await call("POST", created.body.ui.action, token, { method: "code", address: other });
    for (const answer of [unknown, foreign]) {
      expect(answer.status).toBe(400);
      expect(answer.body.state).toBe("choose_method");
      expect(messageIds(answer.body)).toEqual([4010010]);
    }
    expect(await queuedFor(other)).toEqual([]);
  });
});

/**
 * The code strategy switched off (`enabled: false`) with `mfa_enabled`:
 * strategy_login.go Login asks methodEnabledAndAllowedFromRequest, whose
 * flow.MethodEnabledAndAllowed answers "not responsible" for another
 * `method` before it looks at `enabled`; with an `address` Login goes on and
 * sends the code. Only `method=code` meets the 404 "endpoint disabled".
 */
describe("code as a second factor with the code strategy off (methodEnabledAndAllowedFromRequest)", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_code_mfa_off", smtp, {
      selfservice: { methods: { code: { enabled: false, passwordless_enabled: false, mfa_enabled: true } } },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  it("sends the code for an `address` with another method, and answers `method=code` with the 404", async () => {
    const email = uniqueEmail("mfa-off");
    await createIdentity(kratos, email, STRONG_PASSWORD);
    const token = await passwordLogin(kratos, email);
    const created = await aal2Flow(kratos, token);
    expect(created.status).toBe(200);

    const disabled = await call("POST", created.body.ui.action, token, { method: "code", address: email });
    expect(disabled.status).toBe(404);
    expect(disabled.body.error?.reason).toMatch(/^This endpoint was disabled by system administrator/);

    const sent = await call("POST", created.body.ui.action, token, { method: "password", address: email });
    expect(sent.status, JSON.stringify(sent.body)).toBe(400);
    expect(sent.body.state).toBe("sent_email");
    expect(messageIds(sent.body)).toEqual([1010014]);
    expect(codeFrom(await smtp.waitFor(email))).toMatch(/^\d{6}$/);
  });
});

/** Passwordless codes with the fallback on: strategy_login.go findIdentityForIdentifier's isFallback branch. */
describe("passwordless code with missing_credential_fallback_enabled (findIdentityForIdentifier)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    started = await startMailKratosWithSchemaFiles("ciam_code_pwless_fallback", [{ id: "no_code", document: NO_CODE_CREDENTIAL }], smtp, {
      selfservice: {
        methods: { code: { enabled: true, passwordless_enabled: true, config: { missing_credential_fallback_enabled: true } } },
      },
    });
  });
  afterAll(async () => {
    await started?.stop();
    await smtp?.stop();
  });

  it("mails the code to an identifier only a password credential holds, and signs in with it", async () => {
    if (!started) throw new Error("Kratos did not start");
    const { kratos } = started;
    const email = uniqueEmail("pwless-fallback");
    await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "no_code", traits: { email }, credentials: { password: { config: { password: STRONG_PASSWORD } } } },
    });
    const post = (url: string, body: unknown) => call("POST", url, "", body);
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const sent = await post(flow.ui.action, { method: "code", identifier: email });
    expect(sent.status).toBe(400);
    expect(messageIds(sent.body)).toEqual([1010014]);
    const done = await post(flow.ui.action, { method: "code", identifier: email, code: codeFrom(await smtp.waitFor(email)) });
    expect(done.status).toBe(200);
  });
});
