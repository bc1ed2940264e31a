import { useScriptedHttpServer } from "@olympus/server-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../testing/browser";
import { csrfOf } from "../testing/flow-json";
import { uniqueEmail, type TestKratos } from "../testing/harness";
import { traitsSchema } from "../testing/identity-schema-documents";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";
import { eventually } from "./test-channel-target";
import { base64Url as base64, httpCourierPostingContext } from "./test-http-courier";

/** What the HTTP channel's body template (`function(ctx) ctx`) posts. */
interface Posted {
  recipient: string;
  subject: string;
  template_type: string;
  html_body?: string;
  template_data: Record<string, unknown>;
}

const DATABASE = "ciam_courier_template_load";
const json = { Accept: "application/json" };

/** The parts of a flow's JSON a form post needs. */
interface FlowForm {
  ui: { action: string; nodes: { attributes: unknown }[] };
}

const SCHEMA = traitsSchema(
  {
    email: {
      type: "string",
      format: "email",
      "ory.sh/kratos": { credentials: { code: { identifier: true, via: "email" } }, verification: { via: "email" } },
    },
  },
  { $id: "https://example.com/email.schema.json", required: ["email"] },
);

/**
 * courier/template/load_template.go through the flows: QueueEmail loads the
 * subject and plaintext templates when the message is queued (an
 * `http(s)://` one through the registry's HTTPClient) and returns a load
 * error as it is, so the flow's error handler answers herodot's 500 with the
 * error's text; the HTML body is loaded when the message is sent, and the
 * HTTP channel leaves it out when that fails (http_channel.go
 * tryPopulateHTMLBody).
 */
describe("courier templates loaded when a message is queued (load_template.go)", () => {
  const server = useScriptedHttpServer();
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;
  const url = (p: string) => `${server.base}${p}`;

  beforeAll(async () => {
    server.script("/mail", { status: 200 });
    server.script("/login-subject.gotmpl", { status: 200, body: "Sign in with {{ .LoginCode }}\n" });
    started = await startKratosWithSchemaFiles(DATABASE, [{ id: "email", document: SCHEMA }], {
      configOverrides: {
        dev: true,
        courier: httpCourierPostingContext(url("/mail"), {
          templates: {
            login_code: {
              valid: {
                email: {
                  subject: url("/login-subject.gotmpl"),
                  body: { plaintext: base64("Your code: {{ .LoginCode }}"), html: url("/login-html-missing.gotmpl") },
                },
              },
            },
            verification_code: { valid: { email: { body: { plaintext: url("/verification-missing.gotmpl") } } } },
          },
        }),
      },
    });
    kratos = started.kratos;
  });
  afterAll(async () => {
    await started?.stop();
  });

  const submit = (flowUrl: string, body: Record<string, unknown>) =>
    fetch(flowUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });

  const mailTo = (recipient: string) =>
    eventually(() =>
      Promise.resolve(
        server
          .requests("/mail")
          .map((request) => JSON.parse(request.body) as Posted)
          .find((posted) => posted.recipient === recipient),
      ),
    );

  it("starts without reading any template: nothing is fetched before a message needs it", () => {
    for (const p of ["/login-subject.gotmpl", "/login-html-missing.gotmpl", "/verification-missing.gotmpl"]) {
      expect(server.requests(p)).toHaveLength(0);
    }
  });

  it("login code: the subject comes from the http template fetched once; a failing HTML template only drops html_body", async () => {
    const sendCode = async () => {
      const email = uniqueEmail();
      await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "email", traits: { email } } });
      const { data: flow } = await kratos.frontend.createNativeLoginFlow();
      const sent = await submit(`${kratos.publicUrl}/self-service/login?flow=${flow.id}`, { method: "code", identifier: email });
      expect(sent.status).toBe(400);
      return mailTo(email);
    };
    const first = await sendCode();
    expect(first.subject).toBe(`Sign in with ${String(first.template_data.login_code)}`);
    expect(first).not.toHaveProperty("html_body");
    const second = await sendCode();
    expect(second.subject).toBe(`Sign in with ${String(second.template_data.login_code)}`);

    // Cache: the subject was fetched for the first message only; the failed HTML loads are not cached.
    expect(server.requests("/login-subject.gotmpl")).toHaveLength(1);
    expect(server.requests("/login-html-missing.gotmpl").length).toBeGreaterThanOrEqual(2);
    expect(kratos.logs.join("\n")).toContain(
      `unable to get email HTML body from template: expected http response status code 200 but got 404 when fetching: ${url("/login-html-missing.gotmpl")}`,
    );
  });

  it("verification code: a template that cannot be fetched fails the flow with herodot's 500 and the fetcher's text", async () => {
    const email = uniqueEmail();
    await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "email", traits: { email } } });
    const { data: flow } = await kratos.frontend.createNativeVerificationFlow();
    const answer = await submit(`${kratos.publicUrl}/self-service/verification?flow=${flow.id}`, { method: "code", email });
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      error: {
        code: 500,
        status: "Internal Server Error",
        message: `expected http response status code 200 but got 404 when fetching: ${url("/verification-missing.gotmpl")}`,
      },
    });
    expect(server.requests("/verification-missing.gotmpl")).toHaveLength(1);
    // Nothing was queued for the address.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests("/mail").filter((request) => request.body.includes(email))).toEqual([]);
  });

  it("verification code in a browser: the load error is forwarded to the error UI (SelfServiceErrorManager().Forward) as the same 500", async () => {
    const email = uniqueEmail();
    await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "email", traits: { email } } });
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/verification/browser`);
    const id = new URL(init.location ?? "").searchParams.get("flow") ?? "";
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${id}`, { headers: json }))
      .body as FlowForm;
    const res = await browser.request(flow.ui.action, { form: { method: "code", email, csrf_token: csrfOf(flow) } });
    expect(res.status).toBe(303);
    const errorPage = new URL(res.location ?? "");
    const stored = await fetch(`${kratos.publicUrl}/self-service/errors?id=${errorPage.searchParams.get("id")}`);
    expect(((await stored.json()) as { error: unknown }).error).toEqual({
      code: 500,
      status: "Internal Server Error",
      message: `expected http response status code 200 but got 404 when fetching: ${url("/verification-missing.gotmpl")}`,
    });
  });
});
