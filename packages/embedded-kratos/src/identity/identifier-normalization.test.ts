import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueEmail, type TestKratos } from "../testing/harness";
import { traitsSchema } from "../testing/identity-schema-documents";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";

/**
 * Identifiers per channel as Kratos v26.2 normalises them:
 * identity/extension_credentials.go SchemaExtensionCredentials (setIdentifier
 * lower-cases a password identifier without trimming it; a `code`
 * identifier goes through x/normalize.go NormalizeIdentifier — an e-mail
 * lower-cased and trimmed, a phone number in E.164), the persister storing
 * every password/code identifier trimmed and lower-cased
 * (persistence/sql/identity/persister_identity.go NormalizeIdentifier) while
 * the admin API answers the identity it holds in memory (identity/handler.go
 * create), and the code strategy's login reading a submitted identifier
 * (selfservice/strategy/code/strategy_login.go Login: maybeNormalizeEmail,
 * findIdentityForIdentifier's GracefulNormalization, loginSendCode,
 * HandleLoginError).
 */
const schema = traitsSchema(
  {
    email: {
      type: "string",
      format: "email",
      "ory.sh/kratos": { credentials: { password: { identifier: true }, code: { identifier: true, via: "email" } } },
    },
    username: { type: "string", "ory.sh/kratos": { credentials: { password: { identifier: true } } } },
    phone: { type: "string", format: "tel", "ory.sh/kratos": { credentials: { code: { identifier: true, via: "sms" } } } },
  },
  { $id: "https://example.com/normalization.schema.json", required: ["email"] },
);

type Credential = { identifiers?: string[] };
type IdentityJson = { id: string; credentials?: Record<string, Credential> };
type Flow = {
  id: string;
  ui: { messages?: { id: number }[]; nodes: { attributes: { name?: string; type?: string; value?: unknown } }[] };
};

/** A German mobile number Kratos' libphonenumber calls valid, in E.164 and written with spaces and a trunk prefix. */
function phoneNumber(): { e164: string; written: string } {
  const subscriber = String(Math.floor(Math.random() * 1e7)).padStart(7, "0");
  return { e164: `+49170${subscriber}`, written: `+49 (0)170 ${subscriber.slice(0, 3)} ${subscriber.slice(3)}` };
}

const sorted = (list: string[] | undefined) => [...(list ?? [])].sort();

describe("identifier normalisation per channel", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles("ciam_identifier_normalization", [{ id: "normalization", document: schema }], {
      // dev: the courier's admin API shows the messages' bodies (the codes).
      configOverrides: { dev: true, selfservice: { methods: { code: { enabled: true, passwordless_enabled: true } } } },
    });
    kratos = started.kratos;
  });
  afterAll(() => started?.stop());

  const createIdentity = async (traits: Record<string, unknown>): Promise<{ status: number; body: IdentityJson }> => {
    const res = await fetch(`${kratos.adminUrl}/admin/identities`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ schema_id: "normalization", traits }),
    });
    return { status: res.status, body: (await res.json()) as IdentityJson };
  };
  const getIdentity = async (id: string) => (await (await fetch(`${kratos.adminUrl}/admin/identities/${id}`)).json()) as IdentityJson;
  const listedBy = async (identifier: string) => {
    const res = await fetch(`${kratos.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(identifier)}`);
    return ((await res.json()) as IdentityJson[]).map((i) => i.id);
  };
  const loginWithCode = async (body: Record<string, unknown>, flowId?: string): Promise<{ status: number; flow: Flow }> => {
    const id = flowId ?? (await kratos.frontend.createNativeLoginFlow()).data.id;
    const res = await fetch(`${kratos.publicUrl}/self-service/login?flow=${id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code", ...body }),
    });
    return { status: res.status, flow: (await res.json()) as Flow };
  };
  const identifierValue = (flow: Flow) => flow.ui.nodes.find((n) => n.attributes.name === "identifier")?.attributes.value;
  const courierMessagesTo = async (recipient: string) => {
    const res = await fetch(`${kratos.adminUrl}/admin/courier/messages?recipient=${encodeURIComponent(recipient)}`);
    return (await res.json()) as { template_type: string; body: string }[];
  };
  const messagesTo = async (recipient: string) => (await courierMessagesTo(recipient)).map((m) => m.template_type);

  it("admin create answers identifiers as the extension left them; they are stored trimmed, a phone number in E.164", async () => {
    const email = uniqueEmail("Normal");
    const phone = phoneNumber();
    const created = await createIdentity({ email, username: " Ada N1 ", phone: phone.written });
    expect(created.status).toBe(201);
    // setIdentifier: strings.ToLower only; the code identifiers are NormalizeIdentifier's.
    expect(sorted(created.body.credentials?.password?.identifiers)).toEqual(sorted([email.toLowerCase(), " ada n1 "]));
    expect(sorted(created.body.credentials?.code?.identifiers)).toEqual(sorted([email.toLowerCase(), phone.e164]));

    const stored = await getIdentity(created.body.id);
    expect(sorted(stored.credentials?.password?.identifiers)).toEqual(sorted([email.toLowerCase(), "ada n1"]));
    expect(sorted(stored.credentials?.code?.identifiers)).toEqual(sorted([email.toLowerCase(), phone.e164]));

    // The list's filter trims and lower-cases (NormalizeIdentifier of a password identifier), nothing more.
    expect(await listedBy(phone.e164)).toEqual([created.body.id]);
    expect(await listedBy(phone.written)).toEqual([]);
    expect(await listedBy(" ADA N1 ")).toEqual([created.body.id]);
  });

  it("an sms identifier that is no valid phone number fails the trait with phonenumbers' text", async () => {
    const created = await createIdentity({ email: uniqueEmail("normal-bad-phone"), phone: "+4917" });
    expect(created.status).toBe(400);
    expect((created.body as unknown as { error: { reason: string } }).error.reason).toBe(
      [
        "I[#/traits/phone] S[#/properties/traits/properties/phone] validation failed",
        '  I[#/traits/phone] S[#/properties/traits/properties/phone/format] "+4917" is not valid "tel"',
        "  I[#/traits/phone] S[#/properties/traits/properties/phone] the provided number is not a valid phone number",
      ].join("\n"),
    );
  });

  it("a code login finds a phone number written any way and texts the E.164 address; the form keeps it as sent", async () => {
    const phone = phoneNumber();
    expect((await createIdentity({ email: uniqueEmail("normal-phone"), phone: phone.e164 })).status).toBe(201);
    const written = `+49 170 ${phone.e164.slice(6)}`;
    const { status, flow } = await loginWithCode({ identifier: written });
    expect(status).toBe(400);
    expect(flow.ui.messages?.map((m) => m.id)).toEqual([1010014]);
    expect(identifierValue(flow)).toBe(written);
    expect(await messagesTo(phone.e164)).toEqual(["login_code_valid"]);
  });

  it("a code login lower-cases an e-mail identifier without trimming it, and finds its account", async () => {
    const email = uniqueEmail("normal-mail");
    expect((await createIdentity({ email })).status).toBe(201);
    const { status, flow } = await loginWithCode({ identifier: ` ${email.toUpperCase()}` });
    expect(status).toBe(400);
    expect(flow.ui.messages?.map((m) => m.id)).toEqual([1010014]);
    expect(identifierValue(flow)).toBe(` ${email}`);
    expect(await messagesTo(email)).toEqual(["login_code_valid"]);
  });

  it("a refused code login echoes the identifier as sent; one of spaces only is looked up, not missing", async () => {
    const unknown = ` ${uniqueEmail("Nobody")} `;
    const refused = await loginWithCode({ identifier: unknown });
    expect(refused.status).toBe(400);
    expect(refused.flow.ui.messages?.map((m) => m.id)).toEqual([4000035]);
    expect(identifierValue(refused.flow)).toBe(unknown);

    const blank = await loginWithCode({ identifier: "   " });
    expect(blank.status).toBe(400);
    expect(blank.flow.ui.messages?.map((m) => m.id)).toEqual([4000035]);
  });

  it("takes a passwordless code only for the identity the submitted identifier names, however it is written (loginVerifyCode)", async () => {
    const email = uniqueEmail("normal-owner");
    const other = uniqueEmail("normal-other");
    for (const address of [email, other]) expect((await createIdentity({ email: address })).status).toBe(201);
    const sent = await loginWithCode({ identifier: email });
    expect(sent.status).toBe(400);
    // dev: the body is shown; the code is its only run of six digits.
    const code = /\b(\d{6})\b/.exec((await courierMessagesTo(email))[0]?.body ?? "")?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);

    // findIdentityForIdentifier names another account: its codes hold none of this one's.
    const elsewhere = await loginWithCode({ identifier: other, code }, sent.flow.id);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.flow.ui.messages?.map((m) => m.id)).toEqual([4010008]);
    // No identifier at all: required, before any code is compared.
    const missing = await loginWithCode({ code }, sent.flow.id);
    expect(missing.status).toBe(400);
    expect(missing.flow.ui.nodes.find((n) => n.attributes.name === "identifier")).toBeDefined();
    expect(JSON.stringify(missing.flow)).toContain('"id":4000002');

    const signedIn = await loginWithCode({ identifier: ` ${email.toUpperCase()} `, code }, sent.flow.id);
    expect(signedIn.status).toBe(200);
  });

  // selfservice/strategy/password/registration.go validateCredentials: Validate(ctx, id, pw) for every identifier.
  it("refuses a password too similar to any of the identity's password identifiers, not only the first", async () => {
    const username = `zebracorn${Date.now().toString(36)}`;
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const res = await fetch(`${kratos.publicUrl}/self-service/registration?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", password: `${username}-1`, traits: { email: uniqueEmail("normal-similar"), username } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ui: { nodes: { attributes: { name?: string }; messages: { id: number }[] }[] } };
    expect(body.ui.nodes.find((n) => n.attributes.name === "password")?.messages.map((m) => m.id)).toEqual([4000031]);
  });
});
