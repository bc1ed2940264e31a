import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@olympus/test-postgres";
import {
  createApiFlow,
  freshIp,
  passwordAttempt,
  STRONG_PASSWORD,
  submit,
  uniqueEmail,
  WRONG_PASSWORD,
  type FlowAnswer,
} from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeServer, type EdgeStack } from "@/lib/testing/edge-stack";
import { RATE_LIMITED_MESSAGE_ID } from "./refusal";

/**
 * Every spelling Kratos resolves to one account shares that account's counter
 * at the edge, through Hera's edge against the embedded CIAM Kratos with the
 * figures of platform/dev/ciam-hera/limits.yml (password: back-off after 5
 * guesses per identifier; 5 mails per address per hour). Kratos matches
 * identifiers Go's way (persistence/sql/identity/persister_identity.go
 * stringToLowerTrim: strings.TrimSpace, which trims U+0085, and
 * strings.ToLower, which lowers U+0130 to a plain `i`), and phone numbers in
 * E.164 (x/normalize.go GracefulNormalization for the code login,
 * NormalizeIdentifier(value, "sms") for a registration's `sms` address).
 */

/** The CIAM default schema's e-mail, and a phone number Kratos signs in with and sends codes to by SMS. */
const SCHEMA = {
  $id: "https://example.com/email-and-phone.schema.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    traits: {
      type: "object",
      properties: {
        email: {
          type: "string",
          format: "email",
          "ory.sh/kratos": {
            credentials: { password: { identifier: true }, code: { identifier: true, via: "email" } },
            verification: { via: "email" },
            recovery: { via: "email" },
          },
        },
        phone: {
          type: "string",
          format: "tel",
          "ory.sh/kratos": { credentials: { code: { identifier: true, via: "sms" } } },
        },
      },
      required: ["email"],
      additionalProperties: false,
    },
  },
};

const randomPhone = () => `+4917${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
/** Ways of writing one German mobile number `+4917xxxxxxxx` that parse to it. */
const spellings = (phone: string) => {
  const national = phone.slice(3);
  return [
    phone,
    `+49 ${national.slice(0, 3)} ${national.slice(3)}`,
    `+49 (0)${national}`,
    `+49-${national.slice(0, 3)}-${national.slice(3)}`,
    ` +49 ${national}\u0085`,
    `+49/${national}`,
  ];
};
const TRUST_LOOPBACK = { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] } };

describe("identifier spellings Kratos resolves to one account share one counter at Hera's edge (CIAM)", () => {
  let stack: EdgeStack;
  let hera: EdgeServer;

  beforeAll(async () => {
    const schemaFile = path.join(mkdtempSync(path.join(tmpdir(), "edge-identifier-keys-")), "email-and-phone.schema.json");
    writeFileSync(schemaFile, JSON.stringify(SCHEMA));
    const dead = await freePort();
    stack = await startEdgeStack(
      "ciam",
      { limits: TRUST_LOOPBACK },
      {
        configOverrides: {
          identity: { default_schema_id: "default", schemas: [{ id: "default", url: `file://${schemaFile}` }] },
          // Nothing listens: the messages are queued, which is all a send is here.
          courier: {
            smtp: { connection_uri: `smtp://127.0.0.1:${dead}/?disable_starttls=true` },
            channels: [
              {
                id: "sms",
                type: "http",
                request_config: { url: `http://127.0.0.1:${dead}/sms`, body: "base64://ZnVuY3Rpb24oY3R4KSBjdHg=" },
              },
            ],
          },
        },
      },
    );
    hera = stack.hera;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const createCustomer = async (traits: Record<string, string>) => {
    const response = await stack.admin("POST", "/admin/identities", {
      schema_id: "default",
      traits,
      credentials: { password: { config: { password: STRONG_PASSWORD } } },
    });
    expect(response.status).toBe(201);
  };

  it("counts password guesses at `victim@x.com`, `victim@x.com\\u0085` and `vİctim@x.com` together, as Kratos signs all three in as the victim", async () => {
    const email = uniqueEmail("victim");
    await createCustomer({ email });
    const variants = [email, `${email}\u0085`, email.replace("i", "\u0130"), `${email}\u0085\u0085`, `\u0085${email.toUpperCase()}`];
    // Kratos resolves each spelling to the victim: the right password signs in with it.
    for (const variant of variants.slice(1, 3)) expect((await passwordAttempt(hera, variant, STRONG_PASSWORD, freshIp())).status).toBe(200);

    // Five wrong guesses in five spellings, each from another address: the sixth spelling meets the back-off.
    const answers: FlowAnswer[] = [];
    for (const variant of variants) answers.push(await passwordAttempt(hera, variant, WRONG_PASSWORD, freshIp()));
    expect(answers.map((a) => a.messages)).toEqual([[4000006], [4000006], [4000006], [4000006], [4000006]]);
    const sixth = await passwordAttempt(hera, `${email}\u0085\u0085\u0085`, WRONG_PASSWORD, freshIp());
    expect(sixth.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
  });

  /** A code login asked for by `identifier`, from a client address of its own. */
  const codeLogin = async (identifier: string) => {
    const headers = { "X-Forwarded-For": freshIp() };
    const flow = await createApiFlow(hera, "login", headers);
    return submit(hera, "login", flow, { method: "code", identifier }, headers);
  };

  it("counts code logins asked for by any spelling of one phone number against its E.164 form", async () => {
    const phone = randomPhone();
    await createCustomer({ email: uniqueEmail("phone"), phone });
    const [first, ...rest] = spellings(phone);
    const answers: FlowAnswer[] = [];
    for (const spelling of [first ?? phone, ...rest.slice(0, 4)]) answers.push(await codeLogin(spelling));
    // Kratos sends each (the flow moves on to the code screen).
    expect(answers.map((a) => a.body.state)).toEqual(["sent_email", "sent_email", "sent_email", "sent_email", "sent_email"]);
    const sixth = await codeLogin(rest[4] ?? phone);
    expect(sixth.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
  });

  /** A registration by code for these traits, from a client address of its own. */
  const codeRegistration = async (traits: Record<string, string>) => {
    const headers = { "X-Forwarded-For": freshIp() };
    const flow = await createApiFlow(hera, "registration", headers);
    return submit(hera, "registration", flow, { method: "code", traits }, headers);
  };

  it("charges a registration code's SMS to the phone trait's E.164 form, whatever its spelling", async () => {
    const phone = randomPhone();
    const answers: FlowAnswer[] = [];
    for (const spelling of spellings(phone).slice(0, 5))
      answers.push(await codeRegistration({ email: uniqueEmail("sms"), phone: spelling }));
    expect(answers.map((a) => a.body.state)).toEqual(["sent_email", "sent_email", "sent_email", "sent_email", "sent_email"]);
    const smsSent = await stack.db.server.query(
      "SELECT count(*)::int AS n FROM courier_messages WHERE recipient = $1",
      [phone],
      "ciam_kratos",
    );
    expect(smsSent.rows[0].n).toBe(5);
    // The sixth registration names a new e-mail address, but the number has had its five codes.
    const sixth = await codeRegistration({ email: uniqueEmail("sms"), phone: spellings(phone)[5] ?? phone });
    expect(sixth.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
  });
});
