import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Database } from "../storage/database";
import { uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";
import { CODE_EMAIL_TRAIT, traitsSchema } from "../testing/identity-schema-documents";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";
import { ChannelTarget } from "./test-channel-target";
import { httpCourierPostingContext, WHOLE_CONTEXT_BODY } from "./test-http-courier";

/** What the channels' body template (`function(ctx) ctx`) posts: the HTTP channel's whole template context. */
interface Posted {
  recipient: string;
  template_type: string;
  message_type: string;
  request_headers: Record<string, string[]> | null;
  template_data: Record<string, unknown>;
  subject: string;
  body: string;
}

const base64 = (text: string) => `base64://${Buffer.from(text).toString("base64")}`;

const DATABASE = "ciam_courier_flow_messages";

/** Email and phone both sign in by code and get verified, each on its own channel. */
const SCHEMA = traitsSchema(
  {
    email: CODE_EMAIL_TRAIT,
    phone: {
      type: "string",
      "ory.sh/kratos": { credentials: { code: { identifier: true, via: "sms" } }, verification: { via: "sms" } },
    },
  },
  { $id: "https://example.com/email-and-phone.schema.json", required: ["email", "phone"] },
);

const randomPhone = () => `+4917${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/**
 * The code strategy's messages as code_sender.go sends them: SendCode (login
 * and registration: one code per address, an `sms` address gets the SMS
 * template), SendVerificationCodeTo (the address's channel), and the flow
 * request's allow-listed headers (hook.RemoveDisallowedHeaders with
 * clients.web_hook.header_allowlist) stored with login, registration and
 * recovery codes for the HTTP channel's `request_headers`
 * (courier/http_channel.go httpDataModel).
 */
describe("code messages on their channels, with the flow request's headers (code_sender.go)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let pg: TestPostgres;
  let target: ChannelTarget;
  let kratos: TestKratos;

  beforeAll(async () => {
    target = new ChannelTarget();
    await target.start();
    started = await startKratosWithSchemaFiles(DATABASE, [{ id: "both", document: SCHEMA }], {
      configOverrides: {
        dev: true,
        courier: httpCourierPostingContext(target.url("/mail"), {
          channels: [{ id: "sms", type: "http", request_config: { url: target.url("/sms"), body: WHOLE_CONTEXT_BODY } }],
          // Templates rendered at queueing read the request's headers through the model's http.Header.
          templates: {
            registration_code: {
              valid: {
                email: { subject: base64('Sign-up code for {{ .UserRequestHeaders.Get "user-agent" }}') },
                sms: { body: { plaintext: base64('{{ .RegistrationCode }} ({{ .UserRequestHeaders.Values "Accept-Language" }})') } },
              },
            },
          },
        }),
      },
    });
    ({ pg, kratos } = started);
  });
  afterAll(async () => {
    await started?.stop();
    await target?.stop();
  });

  /** The first message to a recipient with a template type, among those the target got after the first `since` requests. */
  const posted = async (channel: "/mail" | "/sms", recipient: string, templateType: string, since = 0): Promise<Posted> => {
    const request = await target.waitFor((r) => {
      if (r.path !== channel || target.received.indexOf(r) < since) return false;
      const body = JSON.parse(r.body) as Posted;
      return body.recipient === recipient && body.template_type === templateType;
    });
    return JSON.parse(request.body) as Posted;
  };

  const submit = (url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("registration: a code per address, the phone's by SMS; the request's allow-listed headers ride along; the phone is verified by SMS", async () => {
    const email = uniqueEmail();
    const phone = randomPhone();
    const traits = { email, phone };
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const url = `${kratos.publicUrl}/self-service/registration?flow=${flow.id}`;
    const sent = await submit(
      url,
      { method: "code", traits },
      { "User-Agent": "c2-agent/1.0", "Accept-Language": "de", "X-Not-Allowed": "1" },
    );
    expect(sent.status).toBe(400);

    const mail = await posted("/mail", email, "registration_code_valid");
    const sms = await posted("/sms", phone, "registration_code_valid");
    expect(mail.message_type).toBe("email");
    expect(sms.message_type).toBe("sms");
    // sms.RegistrationCodeValidModel carries the traits as `identity`; the email model as `traits`.
    expect(sms.template_data).toMatchObject({ to: phone, identity: traits });
    expect(mail.template_data).toMatchObject({ to: email, traits });
    expect(sms.template_data.registration_code).not.toBe(mail.template_data.registration_code);
    for (const message of [mail, sms]) {
      expect(message.request_headers).toMatchObject({ "User-Agent": ["c2-agent/1.0"], "Accept-Language": ["de"] });
      expect(Object.keys(message.request_headers ?? {})).not.toContain("X-Not-Allowed");
    }
    // The models' UserRequestHeaders (courier/template/{email,sms}/registration_code_valid.go), filled by code_sender.go.
    expect(mail.subject).toBe("Sign-up code for c2-agent/1.0");
    expect(sms.body).toBe(`${String(sms.template_data.registration_code)} ([de])`);

    // Signing up with the mailed code proves the email; the phone is sent its verification code by SMS (hook.Verifier).
    const done = await submit(url, { method: "code", traits, code: mail.template_data.registration_code });
    expect(done.status).toBe(200);
    const verification = await posted("/sms", phone, "verification_code_valid");
    expect(verification.template_data.to).toBe(phone);
    expect(verification.template_data.verification_code).toMatch(/^\d{6}$/);
    expect(verification.template_data).not.toHaveProperty("verification_url");
    // Verification templates carry no request headers (not a courier.RequestHeadersCarrier).
    expect(verification.request_headers).toEqual({});
  });

  it("login: the address equal to the identifier gets the code; none equal: every listed address gets its own (loginSendCode)", async () => {
    const email = uniqueEmail();
    const phone = randomPhone();
    const { data: identity } = await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "both", traits: { email, phone } },
    });

    const byPhone = (await kratos.frontend.createNativeLoginFlow()).data;
    expect((await submit(`${kratos.publicUrl}/self-service/login?flow=${byPhone.id}`, { method: "code", identifier: phone })).status).toBe(
      400,
    );
    const phoneCode = await posted("/sms", phone, "login_code_valid");
    expect(phoneCode.request_headers).toMatchObject({ "Content-Type": ["application/json"], Accept: ["application/json"] });

    // A code credential whose addresses no longer list the identifier (the config was written apart from the identifiers).
    const other = uniqueEmail();
    const db = new Database(pg.url(DATABASE));
    try {
      await db.query("UPDATE identity_credentials SET config = $2 WHERE identity_id = $1 AND type = 'code'", [
        identity.id,
        JSON.stringify({
          addresses: [
            { channel: "email", address: other },
            { channel: "sms", address: phone },
          ],
        }),
      ]);
    } finally {
      await db.close();
    }
    const before = target.received.length;
    const byEmail = (await kratos.frontend.createNativeLoginFlow()).data;
    const loginUrl = `${kratos.publicUrl}/self-service/login?flow=${byEmail.id}`;
    expect((await submit(loginUrl, { method: "code", identifier: email })).status).toBe(400);
    const [toOther, toPhone] = await Promise.all([
      posted("/mail", other, "login_code_valid", before),
      posted("/sms", phone, "login_code_valid", before),
    ]);
    expect(toOther.template_data.login_code).not.toBe(toPhone.template_data.login_code);
    expect(target.received.slice(before).filter((r) => r.body.includes(`"recipient":"${email}"`))).toEqual([]);
    // Either code signs in.
    const signedIn = await submit(loginUrl, { method: "code", identifier: email, code: toPhone.template_data.login_code });
    expect(signedIn.status).toBe(200);
  });

  it("recovery: the code email carries the request's allow-listed headers", async () => {
    const email = uniqueEmail();
    await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "both", traits: { email, phone: randomPhone() } } });
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    const sent = await submit(
      `${kratos.publicUrl}/self-service/recovery?flow=${flow.id}`,
      { method: "code", email },
      { "User-Agent": "c2-recovery" },
    );
    expect(sent.status).toBe(200);
    const mail = await posted("/mail", email, "recovery_code_valid");
    expect(mail.request_headers).toMatchObject({ "User-Agent": ["c2-recovery"] });
  });

  it("a message stored before request headers were (NULL column) gives the template null (json.RawMessage nil)", async () => {
    const phone = randomPhone();
    const db = new Database(pg.url(DATABASE));
    try {
      await db.query(
        `INSERT INTO courier_messages (id, type, status, recipient, body, template_type, template_data, channel, request_headers)
         VALUES (gen_random_uuid(), 'phone', 'queued', $1, 'legacy', 'login_code_valid', $2, 'sms', NULL)`,
        [phone, JSON.stringify({ To: phone, LoginCode: "000000" })],
      );
    } finally {
      await db.close();
    }
    const sms = await posted("/sms", phone, "login_code_valid");
    expect(sms.request_headers).toBeNull();
  });
});
