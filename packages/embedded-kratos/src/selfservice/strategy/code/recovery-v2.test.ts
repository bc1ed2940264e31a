import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelTarget } from "../../../courier/test-channel-target";
import { TestBrowser } from "../../../testing/browser";
import { startKratos, startTestPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { maskAddress } from "./recovery-address-mask";

/** What the channels' body template (`function(ctx) ctx`) posts: the HTTP channel's whole template context. */
interface Posted {
  recipient: string;
  template_type: string;
  message_type: string;
  template_data: Record<string, unknown>;
}

interface Node {
  type: string;
  group: string;
  attributes: { name: string; type: string; value?: unknown; required?: boolean; pattern?: string; maxlength?: number };
  messages: { id: number; text: string }[];
  meta: { label?: { id: number; text: string; type: string } };
}

interface RecoveryFlowJson {
  id: string;
  state: string;
  active?: string;
  ui: { action: string; messages?: { id: number; text: string; context?: Record<string, unknown> }[]; nodes: Node[] };
}

const base64 = (text: string) => `base64://${Buffer.from(text).toString("base64")}`;
const WHOLE_CONTEXT = base64("function(ctx) ctx");
const DATABASE = "ciam_recovery_v2";

/** Email and phone are both recovery addresses, each on its own channel. */
const SCHEMA = {
  $id: "https://example.com/recovery-v2.schema.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    traits: {
      type: "object",
      properties: {
        email: {
          type: "string",
          format: "email",
          "ory.sh/kratos": { credentials: { password: { identifier: true } }, recovery: { via: "email" } },
        },
        phone: { type: "string", "ory.sh/kratos": { recovery: { via: "sms" } } },
      },
      required: ["email"],
    },
  },
};

const randomPhone = () => `+4917${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/** A node's name, type, value and label id — the shape Kratos' TestRecovery_V2 snapshots pin. */
const shape = (flow: RecoveryFlowJson) =>
  flow.ui.nodes.map((n) => [n.group, n.attributes.name, n.attributes.type, n.attributes.value, n.meta.label?.id]);

/** The value of the choice button a page shows for `address` (found by its masked label; the value itself is keyed). */
const choiceFor = (flow: RecoveryFlowJson, address: string): unknown =>
  flow.ui.nodes.find((n) => n.attributes.name === "recovery_select_address" && n.meta.label?.text === maskAddress(address))?.attributes
    .value ?? "no such choice";

/**
 * Recovery v2 of the code strategy (feature_flags.choose_recovery_address):
 * selfservice/flow/recovery/flow.go NewFlow and selfservice/strategy/code/
 * strategy_recovery.go (PopulateRecoveryMethod, Recover, the recoveryV2Handle*
 * functions, recoveryV2HandleGoBack), as strategy_recovery_test.go's
 * TestRecovery_V2_* cases and their snapshots show them; codes go out as
 * code_sender.go SendRecoveryCode sends them (email, or SMS for an sms address).
 */
describe("recovery v2: choosing the recovery address (feature_flags.choose_recovery_address)", () => {
  let pg: TestPostgres;
  let target: ChannelTarget;
  let kratos: TestKratos;

  beforeAll(async () => {
    target = new ChannelTarget();
    [pg] = await Promise.all([startTestPostgres(), target.start()]);
    const schemaFile = path.join(mkdtempSync(path.join(tmpdir(), "recovery-v2-")), "recovery-v2.schema.json");
    writeFileSync(schemaFile, JSON.stringify(SCHEMA));
    kratos = await startKratos(pg, DATABASE, {
      configOverrides: {
        dev: true,
        feature_flags: { choose_recovery_address: true, use_continue_with_transitions: true },
        identity: { default_schema_id: "v2", schemas: [{ id: "v2", url: `file://${schemaFile}` }] },
        selfservice: { flows: { recovery: { enabled: true, use: "code", notify_unknown_recipients: true } } },
        courier: {
          delivery_strategy: "http",
          worker: { pull_wait: "100ms" },
          http: { request_config: { url: target.url("/mail"), body: WHOLE_CONTEXT } },
          channels: [{ id: "sms", type: "http", request_config: { url: target.url("/sms"), body: WHOLE_CONTEXT } }],
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await target?.stop();
    await pg?.stop();
  });

  const posted = async (channel: "/mail" | "/sms", recipient: string, templateType: string): Promise<Posted> => {
    const request = await target.waitFor((r) => {
      if (r.path !== channel) return false;
      const body = JSON.parse(r.body) as Posted;
      return body.recipient === recipient && body.template_type === templateType;
    });
    return JSON.parse(request.body) as Posted;
  };
  const sentTo = (recipient: string) => target.received.filter((r) => (JSON.parse(r.body) as Posted).recipient === recipient);

  const submit = async (flow: RecoveryFlowJson, body: Record<string, unknown>) => {
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as RecoveryFlowJson & Record<string, unknown> };
  };
  const newFlow = async () => (await kratos.frontend.createNativeRecoveryFlow()).data as unknown as RecoveryFlowJson;
  const person = async (traits: Record<string, string>) =>
    (await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "v2", traits } })).data;

  it("starts at recovery_awaiting_address asking for any recovery address (NewFlow, PopulateRecoveryMethod)", async () => {
    const flow = await newFlow();
    expect(flow.state).toBe("recovery_awaiting_address");
    expect(flow.active).toBe("code");
    expect(shape(flow)).toEqual([
      ["default", "csrf_token", "hidden", "", undefined],
      ["code", "recovery_address", "text", undefined, 1070016],
      ["code", "method", "submit", "code", 1070009],
    ]);
    expect(flow.ui.nodes[1]?.attributes.required).toBe(true);
    expect(flow.ui.nodes[1]?.meta.label?.text).toBe("Recovery address");
  });

  it("one address typed in full: the code screen at once, the code by email, and it recovers the account (TestRecovery_V2_WithContinueWith_OneAddress_Email)", async () => {
    const email = uniqueEmail("v2-one");
    const { id } = await person({ email });
    const flow = await newFlow();
    const sent = await submit(flow, { method: "code", recovery_address: email });
    expect(sent.status).toBe(200);
    expect(sent.body.state).toBe("recovery_awaiting_code");
    expect(sent.body.ui.messages).toEqual([
      {
        id: 1060004,
        text: `A recovery code has been sent to ${maskAddress(email)}. If you have not received it, check the spelling of the address and make sure to use the address you registered with.`,
        type: "info",
        context: { masked_address: maskAddress(email) },
      },
    ]);
    expect(shape(sent.body)).toEqual([
      ["default", "csrf_token", "hidden", "", undefined],
      ["code", "code", "text", undefined, 1070010],
      ["code", "method", "submit", "code", 1070009],
      ["code", "method", "hidden", "code", undefined],
      ["code", "recovery_confirm_address", "submit", email, 1070008],
      ["code", "recovery_address", "hidden", email, undefined],
      ["code", "screen", "submit", "previous", 1060007],
    ]);
    expect(sent.body.ui.nodes[1]?.attributes).toMatchObject({ required: true, pattern: "[0-9]+", maxlength: 6 });
    expect(sent.body.ui.nodes[1]?.attributes).not.toHaveProperty("autocomplete");

    const mail = await posted("/mail", email, "recovery_code_valid");
    const done = await submit(sent.body, { method: "code", code: mail.template_data.recovery_code });
    expect(done.status).toBe(200);
    expect(done.body.state).toBe("passed_challenge");
    const continueWith = done.body.continue_with as { action: string; ory_session_token?: string }[];
    expect(continueWith.map((c) => c.action)).toEqual(["set_ory_session_token", "show_settings_ui"]);
    const whoami = await kratos.frontend.toSession({ xSessionToken: continueWith[0]?.ory_session_token });
    expect(whoami.data.identity?.id).toBe(id);
    expect(whoami.data.authentication_methods?.[0]?.method).toBe("code_recovery");
  });

  it("several addresses: a masked choice sorted by value; the typed one is sent its code by SMS (TestRecovery_V2_WithContinueWith_SeveralAddresses, SendRecoveryCodeTo)", async () => {
    const email = uniqueEmail("v2-many");
    const phone = randomPhone();
    const { id } = await person({ email, phone });
    const flow = await newFlow();
    const choice = await submit(flow, { method: "code", recovery_address: phone });
    expect(choice.status).toBe(200);
    expect(choice.body.state).toBe("recovery_awaiting_address_choice");
    expect(choice.body.ui.messages?.map((m) => [m.id, m.text])).toEqual([[1060006, "How do you want to recover your account?"]]);
    // "+49…" sorts before "v2-many…" (strings.Compare); the page holds hashes and masked texts only.
    expect(shape(choice.body)).toEqual([
      ["default", "csrf_token", "hidden", "", undefined],
      ["code", "recovery_select_address", "submit", choiceFor(choice.body, phone), 1070000],
      ["code", "recovery_select_address", "submit", choiceFor(choice.body, email), 1070000],
      ["code", "method", "hidden", "code", undefined],
      ["code", "recovery_address", "hidden", phone, undefined],
    ]);
    expect(choice.body.ui.nodes.slice(1, 3).map((n) => n.meta.label?.text)).toEqual([maskAddress(phone), maskAddress(email)]);
    expect(JSON.stringify(choice.body.ui)).not.toContain(email);
    // Not Kratos' bare SHA-256 of the address, which the masked text lets anyone brute-force (addressChoiceValue).
    expect(choiceFor(choice.body, phone)).not.toBe(createHash("sha256").update(phone).digest("base64"));

    const code = await submit(choice.body, {
      method: "code",
      recovery_address: phone,
      recovery_select_address: choiceFor(choice.body, phone),
    });
    expect(code.status).toBe(200);
    expect(code.body.state).toBe("recovery_awaiting_code");
    expect(code.body.ui.messages?.[0]?.context).toEqual({ masked_address: maskAddress(phone) });
    const sms = await posted("/sms", phone, "recovery_code_valid");
    expect(sms.message_type).toBe("sms");
    // sms.RecoveryCodeValidModel: the code under `verification_code`, and the request URL's host.
    expect(sms.template_data).toMatchObject({ to: phone, request_url_domain: new URL(kratos.publicUrl).hostname });
    expect(sms.template_data.verification_code).toMatch(/^\d{6}$/);
    expect(sentTo(email)).toEqual([]);

    const done = await submit(code.body, { method: "code", code: sms.template_data.verification_code });
    expect(done.status).toBe(200);
    expect(done.body.state).toBe("passed_challenge");
    const token = (done.body.continue_with as { ory_session_token?: string }[])[0]?.ory_session_token;
    expect((await kratos.frontend.toSession({ xSessionToken: token })).data.identity?.id).toBe(id);
  });

  it("another address chosen must be typed in full before its code is sent; a wrong hash is refused on the stored screen (recoveryV2HandleStateAwaitingAddressChoice)", async () => {
    const email = uniqueEmail("v2-confirm");
    const phone = randomPhone();
    await person({ email, phone });
    const flow = await newFlow();
    const choice = (await submit(flow, { method: "code", recovery_address: phone })).body;

    const wrong = await submit(choice, {
      method: "code",
      recovery_address: phone,
      recovery_select_address: Buffer.alloc(32, 7).toString("base64"),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.state).toBe("recovery_awaiting_address_choice");
    expect(wrong.body.ui.messages).toEqual([
      {
        id: 4000001,
        text: "The selected recovery address is not valid.",
        type: "error",
        context: { reason: "The selected recovery address is not valid." },
      },
    ]);
    expect(shape(wrong.body)).toEqual(shape(choice));

    // decodeRecovery's method schema (email format) refuses before anything else; the stored screen keeps its values.
    const malformed = await submit(choice, { method: "code", email: "not-an-email", recovery_address: "someone-else" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.state).toBe("recovery_awaiting_address_choice");
    expect(shape(malformed.body)).toEqual([...shape(choice), ["default", "email", "text", undefined, undefined]]);
    expect(malformed.body.ui.nodes.at(-1)?.messages.map((m) => m.id)).toEqual([4000040]);

    const confirm = await submit(choice, { method: "code", recovery_address: phone, recovery_select_address: choiceFor(choice, email) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.state).toBe("recovery_confirming_address");
    expect(confirm.body.ui.messages?.map((m) => m.id)).toEqual([1060005]);
    expect(shape(confirm.body)).toEqual([
      ["default", "csrf_token", "hidden", "", undefined],
      ["code", "recovery_confirm_address", "email", "", 1070007],
      ["code", "recovery_address", "hidden", phone, undefined],
      ["code", "method", "submit", "code", 1070009],
      ["code", "method", "hidden", "code", undefined],
      ["code", "screen", "submit", "previous", 1060007],
    ]);

    const missing = await submit(confirm.body, { method: "code", recovery_address: phone });
    expect(missing.status).toBe(400);
    expect(missing.body.state).toBe("recovery_confirming_address");
    const confirmNode = missing.body.ui.nodes.find((n) => n.attributes.name === "recovery_confirm_address");
    expect(confirmNode?.messages.map((m) => [m.id, m.text])).toEqual([[4000002, "Property recovery_confirm_address is missing."]]);

    const code = await submit(confirm.body, { method: "code", recovery_address: phone, recovery_confirm_address: email });
    expect(code.status).toBe(200);
    expect(code.body.state).toBe("recovery_awaiting_code");
    await posted("/mail", email, "recovery_code_valid");

    // "Back" from the code screen of an account with several addresses shows the choice again (recoveryV2HandleGoBack).
    const back = await submit(code.body, { method: "code", recovery_address: phone, screen: "previous" });
    expect(back.status).toBe(200);
    expect(back.body.state).toBe("recovery_awaiting_address_choice");
    expect(shape(back.body)).toEqual(shape(choice));
  });

  it("an address no account has is answered like an account's only one: the code screen, nothing sent by SMS, the email notice only with notify_unknown_recipients", async () => {
    const phone = randomPhone();
    const flow = await newFlow();
    const sent = await submit(flow, { method: "code", recovery_address: phone });
    expect(sent.status).toBe(200);
    expect(sent.body.state).toBe("recovery_awaiting_code");
    expect(sent.body.ui.messages?.[0]?.text).toContain(maskAddress(phone));

    const email = uniqueEmail("v2-unknown");
    const byEmail = await submit(await newFlow(), { method: "code", recovery_address: email });
    expect(byEmail.body.state).toBe("recovery_awaiting_code");
    await posted("/mail", email, "recovery_code_invalid");
    // The SMS channel is never used for unknown recipients (they cost money), whatever notify_unknown_recipients says.
    expect(sentTo(phone)).toEqual([]);

    // "Back" with a single (or no) address starts over at the first screen.
    const back = await submit(sent.body, { method: "code", recovery_address: phone, screen: "previous" });
    expect(back.status).toBe(200);
    expect(back.body.state).toBe("recovery_awaiting_address");
    expect(back.body.ui.messages).toBeUndefined();
    expect(shape(back.body)).toEqual(shape(flow));
  });

  it("refuses an empty address on the stored screen with 4000002; the resend button sends a new code and drops the old one", async () => {
    const flow = await newFlow();
    const empty = await submit(flow, { method: "code" });
    expect(empty.status).toBe(400);
    expect(empty.body.state).toBe("recovery_awaiting_address");
    expect(empty.body.ui.nodes.find((n) => n.attributes.name === "recovery_address")?.messages.map((m) => m.id)).toEqual([4000002]);

    // No code and an address: the resend button (recoveryV2HandleStateAwaitingCode) sends a new code.
    const email = uniqueEmail("v2-resend");
    await person({ email });
    const sent = (await submit(await newFlow(), { method: "code", recovery_address: email })).body;
    const first = await posted("/mail", email, "recovery_code_valid");
    const before = target.received.length;
    const resent = await submit(sent, { method: "code", recovery_address: email, recovery_confirm_address: email });
    expect(resent.status).toBe(200);
    expect(resent.body.state).toBe("recovery_awaiting_code");
    const second = await target.waitFor((r) => target.received.indexOf(r) >= before && (JSON.parse(r.body) as Posted).recipient === email);
    const secondCode = (JSON.parse(second.body) as Posted).template_data.recovery_code;
    // The first code was dropped with the resend (DeleteRecoveryCodesOfFlow).
    const stale = await submit(sent, { method: "code", code: first.template_data.recovery_code });
    expect(stale.body.ui.messages?.map((m) => m.id)).toEqual([4060006]);
    expect((await submit(sent, { method: "code", code: secondCode })).body.state).toBe("passed_challenge");
  });

  it("browser flows: form posts answered with 303 to the recovery UI, the screens read back as stored", async () => {
    const email = uniqueEmail("v2-browser");
    await person({ email });
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`, { headers: { Accept: "application/json" } });
    const flow = init.body as RecoveryFlowJson;
    expect(flow.state).toBe("recovery_awaiting_address");
    const csrf = String(flow.ui.nodes[0]?.attributes.value);
    const posted303 = await browser.request(flow.ui.action, { form: { csrf_token: csrf, method: "code", recovery_address: email } });
    expect(posted303.status).toBe(303);
    expect(posted303.location).toMatch(/\/recovery\?flow=/);
    const fetched = await browser.request(`${kratos.publicUrl}/self-service/recovery/flows?id=${flow.id}`, {
      headers: { Accept: "application/json" },
    });
    expect((fetched.body as RecoveryFlowJson).state).toBe("recovery_awaiting_code");
  });
  /**
   * link/strategy_recovery.go Recover with the flag on: NewFlow starts every
   * recovery flow in recovery_awaiting_address, which the link strategy's
   * state switch does not know — retryRecoveryFlowWithMessage(req.Type,
   * NewErrorValidationRecoveryStateFailure): a new flow of the same type,
   * 303 to its JSON (API flows) or the recovery UI (browser flows).
   */
  describe("with recovery.use: link", () => {
    let linkKratos: TestKratos;
    beforeAll(async () => {
      linkKratos = await startKratos(pg, `${DATABASE}_link`, {
        configOverrides: {
          feature_flags: { choose_recovery_address: true },
          selfservice: { flows: { recovery: { enabled: true, use: "link" } }, methods: { link: { enabled: true } } },
        },
      });
    });
    afterAll(async () => {
      await linkKratos?.close();
    });

    it("starts link flows in recovery_awaiting_address and answers an email with a new flow carrying 4060002", async () => {
      const { data } = await linkKratos.frontend.createNativeRecoveryFlow();
      const flow = data as unknown as RecoveryFlowJson;
      expect(flow.state).toBe("recovery_awaiting_address");
      expect(shape(flow)).toEqual([
        ["default", "csrf_token", "hidden", "", undefined],
        ["link", "email", "email", undefined, 1070007],
        ["link", "method", "submit", "link", 1070009],
      ]);
      const res = await fetch(flow.ui.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ method: "link", email: uniqueEmail("v2-link") }),
        redirect: "manual",
      });
      expect(res.status).toBe(303);
      const location = res.headers.get("location") ?? "";
      expect(location).toMatch(new RegExp(`^${linkKratos.publicUrl}/self-service/recovery/flows\\?id=[0-9a-f-]{36}$`));
      const retried = (await (await fetch(location, { headers: { Accept: "application/json" } })).json()) as RecoveryFlowJson & {
        type: string;
      };
      expect(retried.id).not.toBe(flow.id);
      expect(retried).toMatchObject({ type: "api", state: "recovery_awaiting_address", active: "link" });
      expect(retried.ui.messages).toEqual([
        { id: 4060002, text: "The recovery flow reached a failure state and must be retried.", type: "error" },
      ]);
    });
  });
});
