import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Configuration, CourierApi, type Message } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKratosConfig } from "../config/load";
import { Database } from "../storage/database";
import { coreMigrations, migrate } from "../storage/migrate";
import { CIAM_CONFIG, startKratos, startTestPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";
import { createIdentity } from "../selfservice/strategy/code/test-helpers";
import { Courier } from "./courier";
import { ChannelTarget, eventually } from "./test-channel-target";
import { base64Url as base64 } from "./test-http-courier";

const SMS_BODY =
  "function(ctx) { to: ctx.recipient, text: ctx.body, type: ctx.message_type, subject: ctx.subject, data: ctx.template_data }";

describe("courier HTTP delivery and channels (courier/http_channel.go, courier_dispatcher.go, sms.go)", () => {
  let pg: TestPostgres;
  let target: ChannelTarget;
  let kratos: TestKratos;
  let admin: CourierApi;
  let overrides: Record<string, unknown>;

  beforeAll(async () => {
    target = new ChannelTarget();
    [pg] = await Promise.all([startTestPostgres(), target.start()]);
    overrides = {
      dev: true,
      courier: {
        delivery_strategy: "http",
        message_retries: 1,
        worker: { pull_wait: "100ms" },
        http: {
          request_config: { url: target.url("/mail"), auth: { type: "basic_auth", config: { user: "courier", password: "s3cret" } } },
        },
        channels: [
          {
            id: "sms",
            type: "http",
            request_config: {
              url: target.url("/sms"),
              body: base64(SMS_BODY),
              auth: { type: "api_key", config: { name: "X-Api-Key", value: "sms-key", in: "header" } },
            },
          },
        ],
      },
    };
    kratos = await startKratos(pg, "ciam_courier_http", { configOverrides: overrides });
    admin = new CourierApi(new Configuration({ basePath: kratos.adminUrl }));
  });
  afterAll(async () => {
    await kratos?.close();
    await target?.stop();
    await pg?.stop();
  });

  const messageTo = async (recipient: string): Promise<Message | undefined> => (await admin.listCourierMessages({ recipient })).data[0];

  async function requestRecoveryCode(email: string): Promise<void> {
    await createIdentity(kratos, email);
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    await kratos.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "code", email } });
  }

  it("posts an email to courier.http.request_config.url with basic auth and Kratos' default body template (httpChannel.Dispatch)", async () => {
    const email = uniqueEmail("http-mail");
    await requestRecoveryCode(email);
    const request = await target.waitFor((r) => r.path === "/mail" && r.body.includes(email));
    expect(request.method).toBe("POST");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("courier:s3cret").toString("base64")}`);
    // go-jsonnet's output: sorted keys, three-space indentation, a final newline.
    expect(request.body.startsWith('{\n   "body": ')).toBe(true);
    expect(request.body.endsWith("}\n")).toBe(true);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      "body",
      "recipient",
      "recovery_code",
      "recovery_url",
      "subject",
      "template_type",
      "to",
      "verification_code",
      "verification_url",
    ]);
    expect(body).toMatchObject({
      recipient: email,
      to: email,
      template_type: "recovery_code_valid",
      recovery_url: null,
      verification_code: null,
    });
    expect(body.recovery_code).toMatch(/^\d{6}$/);
    expect(String(body.body)).toContain(String(body.recovery_code));

    const sent = await eventually(async () => {
      const m = await messageTo(email);
      return m?.status === "sent" ? m : undefined;
    });
    expect(sent).toMatchObject({ type: "email", channel: "email", template_type: "recovery_code_valid", send_count: 1 });
    const { data: detail } = await admin.getCourierMessage({ id: sent.id });
    expect(detail.dispatches?.map((d) => d.status)).toEqual(["success"]);
  });

  it("records a non-2xx answer as a failed dispatch and abandons the message after courier.message_retries", async () => {
    const email = uniqueEmail("http-refused");
    target.answer("/mail", 400);
    try {
      await requestRecoveryCode(email);
      const abandoned = await eventually(async () => {
        const m = await messageTo(email);
        return m?.status === "abandoned" ? m : undefined;
      });
      expect(abandoned.send_count).toBe(2);
      const { data: detail } = await admin.getCourierMessage({ id: abandoned.id });
      expect(detail.dispatches).toHaveLength(2);
      for (const dispatch of detail.dispatches ?? []) {
        expect(dispatch.status).toBe("failed");
        // RecordDispatch: herodot.ToDefaultError of the channel's error.
        expect(dispatch.error).toEqual({
          code: 500,
          status: "Internal Server Error",
          message: "unable to dispatch mail delivery because upstream server replied with status code 400",
        });
      }
    } finally {
      target.answer("/mail", 200);
    }
  });

  it("gives up on a 5xx answer at once: the channel's client does not retry (ResilientClientWithMaxRetry(0))", async () => {
    const email = uniqueEmail("http-5xx");
    target.answer("/mail", 503);
    try {
      await requestRecoveryCode(email);
      const abandoned = await eventually(async () => {
        const m = await messageTo(email);
        return m?.status === "abandoned" ? m : undefined;
      });
      const { data: detail } = await admin.getCourierMessage({ id: abandoned.id });
      expect(detail.dispatches?.map((d) => d.error)).toEqual([
        expect.objectContaining({ message: `POST ${target.url("/mail")} giving up after 1 attempt(s)` }),
        expect.objectContaining({ message: `POST ${target.url("/mail")} giving up after 1 attempt(s)` }),
      ]);
      // One request per courier attempt: go-retryablehttp made no retries of its own.
      expect(target.received.filter((r) => r.path === "/mail" && r.body.includes(email))).toHaveLength(2);
    } finally {
      target.answer("/mail", 200);
    }
  });

  it("sends an SMS to the channel with id sms, with the SMS template's body and model (QueueSMS, NewSMSTemplateFromMessage)", async () => {
    const phone = `+4917${Math.floor(Math.random() * 1e8)}`;
    const config = loadKratosConfig(CIAM_CONFIG, { overrides, warn: () => {} });
    const db = new Database(pg.url("ciam_courier_http"));
    const queueing = new Courier(config, db);
    try {
      const sms = await queueing.renderSms({
        templateType: "login_code_valid",
        recipient: phone,
        model: { To: phone, LoginCode: "123456", ExpiresInMinutes: 15, RequestURL: "http://127.0.0.1/self-service/login/api" },
      });
      await db.transaction((tx) => queueing.enqueue(tx, sms));
    } finally {
      await db.close();
    }
    const request = await target.waitFor((r) => r.path === "/sms" && r.body.includes(phone));
    expect(request.headers["x-api-key"]).toBe("sms-key");
    expect(request.headers.authorization).toBeUndefined();
    const { text, ...body } = JSON.parse(request.body) as Record<string, unknown>;
    expect(text).toContain("123456");
    expect(body).toEqual({
      to: phone,
      type: "sms",
      subject: "",
      data: {
        to: phone,
        login_code: "123456",
        identity: null,
        request_url: "http://127.0.0.1/self-service/login/api",
        transient_payload: {},
        expires_in_minutes: 15,
      },
    });
    const sent = await eventually(async () => {
      const m = await messageTo(phone);
      return m?.status === "sent" ? m : undefined;
    });
    expect(sent).toMatchObject({ type: "sms", channel: "sms", subject: "", template_type: "login_code_valid" });
    expect(sent.body).toContain("123456");
  });

  it("sends a login code for a phone number trait with via sms over the sms channel (code_sender.go SendCode)", async () => {
    const schemaFile = path.join(mkdtempSync(path.join(tmpdir(), "courier-sms-")), "phone.schema.json");
    writeFileSync(
      schemaFile,
      JSON.stringify({
        $id: "https://example.com/phone.schema.json",
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        properties: {
          traits: {
            type: "object",
            properties: { phone: { type: "string", "ory.sh/kratos": { credentials: { code: { identifier: true, via: "sms" } } } } },
            required: ["phone"],
          },
        },
      }),
    );
    const phoneKratos = await startKratos(pg, "ciam_courier_sms_login", {
      configOverrides: { ...overrides, identity: { default_schema_id: "phone", schemas: [{ id: "phone", url: `file://${schemaFile}` }] } },
    });
    try {
      // A number libphonenumber calls valid: a code identifier via `sms` must be one (x.NormalizeIdentifier).
      const phone = `+4917${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
      await phoneKratos.identity.createIdentity({ createIdentityBody: { schema_id: "phone", traits: { phone } } });
      const { data: flow } = await phoneKratos.frontend.createNativeLoginFlow();
      const sent = await fetch(`${phoneKratos.publicUrl}/self-service/login?flow=${flow.id}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ method: "code", identifier: phone }),
      });
      expect(sent.status).toBe(400);
      const request = await target.waitFor((r) => r.path === "/sms" && r.body.includes(phone));
      const body = JSON.parse(request.body) as { type: string; data: { login_code: string; to: string; identity: { traits: unknown } } };
      expect(body.type).toBe("sms");
      expect(body.data.to).toBe(phone);
      expect(body.data.identity.traits).toEqual({ phone });
      const login = await fetch(`${phoneKratos.publicUrl}/self-service/login?flow=${flow.id}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ method: "code", identifier: phone, code: body.data.login_code }),
      });
      expect(login.status).toBe(200);
    } finally {
      await phoneKratos.close();
    }
  });

  it("fails and counts every attempt at an email while courier.smtp.connection_uri is unset; SMS still go (smtp_channel.go SMTPChannel.Dispatch)", async () => {
    const db = new Database(await pg.createDatabase("ciam_courier_no_smtp_uri"));
    try {
      await migrate(db, coreMigrations());
      const courierOverrides = overrides.courier as Record<string, unknown>;
      const config = loadKratosConfig(CIAM_CONFIG, {
        overrides: { courier: { ...courierOverrides, delivery_strategy: "smtp", smtp: { connection_uri: "" } } },
        warn: () => {},
      });
      const courier = new Courier(config, db);
      const phone = `+4916${Math.floor(Math.random() * 1e8)}`;
      const mail = await courier.renderEmail({
        templateType: "login_code_valid",
        recipient: "no-uri@example.com",
        model: { To: "no-uri@example.com", LoginCode: "1" },
      });
      const sms = await courier.renderSms({ templateType: "login_code_valid", recipient: phone, model: { To: phone, LoginCode: "2" } });
      const [emailId, smsId] = await db.transaction(async (tx) => [await courier.enqueue(tx, mail), await courier.enqueue(tx, sms)]);
      expect(await courier.dispatchQueue()).toBe(2);
      expect(await courier.messages.get(smsId)).toMatchObject({ status: "sent", sendCount: 1 });
      const email = await courier.messages.get(emailId);
      expect(email).toMatchObject({ status: "queued", sendCount: 1 });
      expect(email?.dispatches?.map((d) => [d.status, d.error])).toEqual([
        [
          "failed",
          {
            code: 500,
            status: "Internal Server Error",
            message: "Courier tried to deliver an email but courier.smtp.connection_uri is not set!",
          },
        ],
      ]);
      await target.waitFor((r) => r.path === "/sms" && r.body.includes(phone));
      await courier.stop();
    } finally {
      await db.close();
    }
  });

  it("fails an SMS when no channel has id sms (courier.channels: no courier channels configured for: sms)", async () => {
    const database = "ciam_courier_no_sms";
    const db = new Database(await pg.createDatabase(database));
    try {
      await migrate(db, coreMigrations());
      const config = loadKratosConfig(CIAM_CONFIG, { overrides: { courier: { delivery_strategy: "http" } }, warn: () => {} });
      const courier = new Courier(config, db);
      const sms = await courier.renderSms({
        templateType: "verification_code_valid",
        recipient: "+15550100",
        model: { To: "+15550100", VerificationCode: "654321" },
      });
      const id = await db.transaction((tx) => courier.enqueue(tx, sms));
      expect(await courier.dispatchQueue()).toBe(1);
      const message = await courier.messages.get(id);
      expect(message?.status).toBe("queued");
      expect(message?.dispatches?.[0]?.error).toEqual({
        code: 500,
        status: "Internal Server Error",
        message: "no courier channels configured for: sms",
      });
      await courier.stop();
    } finally {
      await db.close();
    }
  });
});
