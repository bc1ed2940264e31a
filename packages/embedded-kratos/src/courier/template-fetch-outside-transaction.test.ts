import type { ServerResponse } from "node:http";
import { useScriptedHttpServer } from "@olympus/server-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Database } from "../storage/database";
import { uniqueEmail, type TestKratos } from "../testing/harness";
import { CODE_EMAIL_TRAIT, traitsSchema } from "../testing/identity-schema-documents";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";
import { eventually } from "./test-channel-target";
import { base64Url as base64, httpCourierPostingContext } from "./test-http-courier";
const DATABASE = "ciam_courier_template_outside_tx";
/** Concurrent sends per flow, all waiting on the same slow template server. */
const CONCURRENT = 3;

const SCHEMA = traitsSchema({ email: CODE_EMAIL_TRAIT }, { $id: "https://example.com/email.schema.json", required: ["email"] });

/** One sender: its template type, the flow it runs in and the submission that queues its message. */
interface Sender {
  template: "login_code" | "registration_code" | "verification_code" | "recovery_code" | "verification" | "recovery";
  flow: "login" | "registration" | "verification" | "recovery";
  /** Whether the address must belong to an identity first (registration sends to a new one). */
  existing: boolean;
  body: (email: string) => Record<string, unknown>;
}

const SENDERS: Sender[] = [
  { template: "login_code", flow: "login", existing: true, body: (email) => ({ method: "code", identifier: email }) },
  { template: "registration_code", flow: "registration", existing: false, body: (email) => ({ method: "code", traits: { email } }) },
  { template: "verification_code", flow: "verification", existing: true, body: (email) => ({ method: "code", email }) },
  { template: "recovery_code", flow: "recovery", existing: true, body: (email) => ({ method: "code", email }) },
  { template: "verification", flow: "verification", existing: true, body: (email) => ({ method: "link", email }) },
  { template: "recovery", flow: "recovery", existing: true, body: (email) => ({ method: "link", email }) },
];

const subjectPath = (template: string) => `/slow-subject/${template}.gotmpl`;
/** The recovery_code_invalid subject: its fetch is never answered, and the test watches its connection. */
const UNANSWERED = "/unanswered-subject.gotmpl";

/**
 * Kratos' code and link senders (selfservice/strategy/code/code_sender.go
 * SendCode, SendRecoveryCode, SendVerificationCode; strategy/link/sender.go)
 * queue their message without a transaction around QueueEmail, whose
 * template load (courier/template/load_template.go) may fetch over http(s)
 * with the registry's retrying client. The embedded server renders the
 * message before it opens the transaction that stores the code and the
 * message: while a template server keeps the fetch waiting, no request
 * holds a pooled connection in an open transaction.
 */
describe("courier templates are fetched outside the sending transaction", () => {
  const server = useScriptedHttpServer();
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;
  let observer: Database;
  const held: ServerResponse[] = [];
  const cancelled: ServerResponse[] = [];
  const url = (p: string) => `${server.base}${p}`;

  beforeAll(async () => {
    server.script("/mail", { status: 200 });
    const templates: Record<string, unknown> = {};
    for (const { template } of SENDERS) {
      // Answers only when the test releases it, as a template server that is slow to answer.
      server.script(subjectPath(template), (_request, res) => void held.push(res));
      const email = { subject: url(subjectPath(template)), body: { plaintext: base64("Hello {{ .To }}") } };
      templates[template] = { valid: { email } };
    }
    server.script(UNANSWERED, (_request, res) => void res.on("close", () => void cancelled.push(res)));
    templates.recovery_code = { ...(templates.recovery_code as object), invalid: { email: { subject: url(UNANSWERED) } } };
    started = await startKratosWithSchemaFiles(DATABASE, [{ id: "email", document: SCHEMA }], {
      configOverrides: {
        dev: true,
        selfservice: { flows: { recovery: { enabled: true, use: "code", notify_unknown_recipients: true } } },
        courier: httpCourierPostingContext(url("/mail"), { templates }),
      },
    });
    kratos = started.kratos;
    observer = new Database(started.pg.url(DATABASE), 1);
  });
  afterAll(async () => {
    await observer?.close();
    await started?.stop();
  });

  /** Connections of the Kratos database sitting in an open transaction (pg_stat_activity). */
  const openTransactions = async () =>
    (
      await observer.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'",
        [DATABASE],
      )
    ).rows[0]?.count;

  const submit = async (sender: Sender, email: string) => {
    if (sender.existing) await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "email", traits: { email } } });
    const created = await fetch(`${kratos.publicUrl}/self-service/${sender.flow}/api`, { headers: { Accept: "application/json" } });
    const { id } = (await created.json()) as { id: string };
    return fetch(`${kratos.publicUrl}/self-service/${sender.flow}?flow=${id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(sender.body(email)),
    });
  };

  it.each(SENDERS)("$template: no transaction is open while the subject template is fetched", async (sender) => {
    const emails = Array.from({ length: CONCURRENT }, () => uniqueEmail());
    const answers = emails.map((email) => submit(sender, email));
    try {
      await eventually(() => Promise.resolve(server.requests(subjectPath(sender.template)).length >= CONCURRENT || undefined));
      // Every send is now waiting on the template server.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await openTransactions()).toBe(0);
    } finally {
      for (const res of held.splice(0)) res.writeHead(200).end("Subject for {{ .To }}");
    }
    for (const answer of await Promise.all(answers)) expect(answer.status).toBeLessThan(500);
    for (const email of emails) {
      const mail = await eventually(() =>
        Promise.resolve(
          server
            .requests("/mail")
            .map((request) => JSON.parse(request.body) as { recipient: string; subject: string })
            .find((posted) => posted.recipient === email),
        ),
      );
      expect(mail.subject).toBe(`Subject for ${email}`);
    }
  });

  it("a client that disconnects cancels the template fetch it waits on (LoadText fetches with the request's context)", async () => {
    const created = await fetch(`${kratos.publicUrl}/self-service/recovery/api`, { headers: { Accept: "application/json" } });
    const { id } = (await created.json()) as { id: string };
    const client = new AbortController();
    const answer = fetch(`${kratos.publicUrl}/self-service/recovery?flow=${id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      // An unknown address with notify_unknown_recipients: the recovery_code_invalid mail, whose subject never arrives.
      body: JSON.stringify({ method: "code", email: uniqueEmail() }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await eventually(() => Promise.resolve(server.requests(UNANSWERED).length >= 1 || undefined));
    client.abort();
    await answer;
    // Without the request's context the fetch would wait out its 30 s attempt and then retry.
    await eventually(() => Promise.resolve(cancelled.length >= 1 || undefined), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.requests(UNANSWERED)).toHaveLength(1);
  });
});
