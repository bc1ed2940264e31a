import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORY_HTTP_CLIENT, type ResilientOptions } from "@olympus/server-kit/http";
import { useScriptedHttpServer } from "@olympus/server-kit/testing";
import { describe, expect, it } from "vitest";
import { type KratosConfig, loadKratosConfig } from "../config/load";
import { KratosError } from "../http/errors";
import { CIAM_CONFIG } from "../testing/harness";
import { SmsTemplates } from "./sms-templates";
import { TEMPLATE_CACHE_SIZE, TemplateLoader } from "./template-loader";
import { EmailTemplates } from "./templates";

/**
 * courier/template/load_template.go: LoadText/LoadHTML load a template when a
 * message needs it — loadRemoteTemplate through ory/x fetcher with the
 * registry's HTTPClient for a configured URL, loadTemplate (override file,
 * else loadBuiltInTemplate) otherwise — and keep it in an LRU of 16 (Cache).
 */
const server = useScriptedHttpServer();

/** The registry's client with short waits between attempts. */
const FAST: ResilientOptions = { ...ORY_HTTP_CLIENT, retryWaitMinMs: 10, retryWaitMaxMs: 50, attemptTimeoutMs: 2_000 };
const base64 = (text: string) => `base64://${Buffer.from(text).toString("base64")}`;

function config(courier: Record<string, unknown>, clients?: Record<string, unknown>): KratosConfig {
  return loadKratosConfig(CIAM_CONFIG, { warn: () => {}, overrides: { courier, ...(clients ? { clients } : {}) } });
}

const loadError = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the template loaded"),
    (error: unknown) => {
      expect(error).toBeInstanceOf(KratosError);
      return error as KratosError;
    },
  );

describe("loadRemoteTemplate: courier.templates URLs are fetched when a message is rendered", () => {
  it("fetches an http(s) template at the first render, not before, and serves it from the cache after", async () => {
    server.script("/login-subject.gotmpl", { status: 200, body: "Code {{ .LoginCode }} for {{ .To }}\n" });
    const cfg = config({ templates: { login_code: { valid: { email: { subject: `${server.base}/login-subject.gotmpl` } } } } });
    const templates = new EmailTemplates(cfg, new TemplateLoader(cfg, { client: FAST }));
    expect(server.requests("/login-subject.gotmpl")).toHaveLength(0);

    // EmailSubject: strings.TrimSpace of the rendered template.
    expect(await templates.subject("login_code_valid", { To: "ann@example.com", LoginCode: "123456" })).toBe(
      "Code 123456 for ann@example.com",
    );
    expect(await templates.subject("login_code_valid", { To: "bob@example.com", LoginCode: "654321" })).toBe(
      "Code 654321 for bob@example.com",
    );
    expect(server.requests("/login-subject.gotmpl")).toHaveLength(1);
    expect(server.requests("/login-subject.gotmpl")[0]?.method).toBe("GET");
  });

  it("answers a failed fetch with the fetcher's text as a 500 (errors.WithStack of FetchContext's error), and does not cache the failure", async () => {
    let status = 404;
    server.script("/flaky-sms.gotmpl", (_, res) => res.writeHead(status).end(status === 200 ? "SMS {{ .LoginCode }}" : ""));
    const url = `${server.base}/flaky-sms.gotmpl`;
    const cfg = config({ templates: { login_code: { valid: { sms: { body: { plaintext: url } } } } } });
    const sms = new SmsTemplates(cfg, new TemplateLoader(cfg, { client: FAST }));

    const error = await loadError(sms.body("login_code_valid", { To: "+15550100", LoginCode: "1" }));
    expect(error.code).toBe(500);
    expect(error.toJSON()).toEqual({
      error: {
        code: 500,
        status: "Internal Server Error",
        message: `expected http response status code 200 but got 404 when fetching: ${url}`,
      },
    });
    status = 200;
    expect(await sms.body("login_code_valid", { To: "+15550100", LoginCode: "2" })).toBe("SMS 2");
    expect(server.requests("/flaky-sms.gotmpl")).toHaveLength(2);
  });

  it("fetches with the registry's HTTPClient, so clients.http.disallow_private_ip_ranges refuses a loopback template", async () => {
    server.script("/private.gotmpl", { status: 200, body: "never read" });
    const url = `${server.base}/private.gotmpl`;
    const cfg = config(
      { templates: { recovery_code: { valid: { email: { subject: url } } } } },
      { http: { disallow_private_ip_ranges: true } },
    );
    // No client given: the loader builds RegistryDefault.HTTPClient's options from the config.
    const templates = new EmailTemplates(cfg, new TemplateLoader(cfg));
    const error = await loadError(templates.subject("recovery_code_valid", { To: "ann@example.com", RecoveryCode: "1" }));
    expect(error.message).toContain(`${url}: GET ${url} giving up after 3 attempt(s)`);
    expect(error.message).toContain("prohibited IP address");
    expect(server.requests("/private.gotmpl")).toHaveLength(0);
  }, 20_000);

  it("reads file:// and base64:// templates through the same fetcher, with its texts for a missing file and an unknown scheme", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "template-loader-"));
    writeFileSync(path.join(dir, "html.gotmpl"), "<b>{{ .VerificationCode }}</b>");
    const missing = path.join(dir, "missing.gotmpl");
    const cfg = config({
      templates: {
        verification_code: {
          valid: {
            email: { subject: base64("Verify {{ .To }}"), body: { html: `file://${dir}/html.gotmpl`, plaintext: `file://${missing}` } },
          },
        },
        recovery_code: { valid: { email: { subject: "ftp://example.com/subject.gotmpl" } } },
      },
    });
    const templates = new EmailTemplates(cfg, new TemplateLoader(cfg, { client: FAST }));
    const model = { To: "<ann>@example.com", VerificationCode: "<42>" };
    expect(await templates.subject("verification_code_valid", model)).toBe("Verify <ann>@example.com");
    expect(await templates.html("verification_code_valid", model)).toBe("<b>&lt;42&gt;</b>");
    expect((await loadError(templates.plaintext("verification_code_valid", model))).message).toBe(
      `unable to open file: ${missing}: open ${missing}: no such file or directory`,
    );
    expect((await loadError(templates.subject("recovery_code_valid", { To: "a@b.c" }))).message).toBe(
      "expected ftp://example.com/subject.gotmpl to have one of the prefixes [http://, https://, file://, base64://]: unknown scheme",
    );
  });

  it("fails the render, not the start, on a template that does not parse (Go's parse error text)", async () => {
    server.script("/range.gotmpl", { status: 200, body: "{{ range .To }}{{ nosuch }}{{ end }}" });
    const cfg = config({ templates: { login_code: { valid: { email: { subject: `${server.base}/range.gotmpl` } } } } });
    const templates = new EmailTemplates(cfg, new TemplateLoader(cfg, { client: FAST }));
    const error = await loadError(templates.subject("login_code_valid", { To: "a@b.c" }));
    expect(error.code).toBe(500);
    expect(error.message).toBe(`template: ${server.base}/range.gotmpl:1: function "nosuch" not defined`);
  });
});

describe("Cache: the LRU of 16 loaded templates (lru.New[string, Template](16))", () => {
  it("keeps the 16 most recently used URLs: a 17th evicts the least recently used, which is fetched again", async () => {
    const paths = Array.from({ length: TEMPLATE_CACHE_SIZE + 1 }, (_, i) => `/lru-${i}.gotmpl`);
    for (const [i, p] of paths.entries()) server.script(p, { status: 200, body: `template ${i}` });
    const cfg = config({});
    const loader = new TemplateLoader(cfg, { client: FAST });
    const load = async (p: string) => (await loader.load({ name: "unused", remoteUrl: `${server.base}${p}`, builtIn: "" })).render({});

    for (const p of paths.slice(0, TEMPLATE_CACHE_SIZE)) await load(p);
    // Get marks /lru-0 as recently used, so /lru-1 is the oldest when the 17th arrives.
    expect(await load(paths[0]!)).toBe("template 0");
    await load(paths[TEMPLATE_CACHE_SIZE]!);
    await load(paths[0]!);
    await load(paths[1]!);
    expect(server.requests(paths[0]!)).toHaveLength(1);
    expect(server.requests(paths[1]!)).toHaveLength(2);
  });

  it("loadTemplate: reads <template_override_path>/<name> at the first render and keeps it by name; a missing file is the built-in, kept too", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "template-override-"));
    mkdirSync(path.join(dir, "login_code", "valid"), { recursive: true });
    const file = path.join(dir, "login_code", "valid", "sms.body.gotmpl");
    const cfg = config({ template_override_path: dir });
    const sms = new SmsTemplates(cfg, new TemplateLoader(cfg, { client: FAST }));
    // Created after the loader: nothing is read at construction.
    writeFileSync(file, "Override {{ .LoginCode }}");
    expect(await sms.body("login_code_valid", { To: "+15550100", LoginCode: "1" })).toBe("Override 1");
    writeFileSync(file, "Changed {{ .LoginCode }}");
    expect(await sms.body("login_code_valid", { To: "+15550100", LoginCode: "2" })).toBe("Override 2");

    const builtIn = await sms.body("registration_code_valid", { To: "+15550100", RegistrationCode: "3" });
    expect(builtIn).toContain("3");
    mkdirSync(path.join(dir, "registration_code", "valid"), { recursive: true });
    writeFileSync(path.join(dir, "registration_code", "valid", "sms.body.gotmpl"), "Late {{ .RegistrationCode }}");
    expect(await sms.body("registration_code_valid", { To: "+15550100", RegistrationCode: "3" })).toBe(builtIn);
  });

  it("reads courier.templates as the config holds it at each render (Kratos reads the keys per message)", async () => {
    const cfg = config({ templates: { login_code: { valid: { sms: { body: { plaintext: base64("First {{ .LoginCode }}") } } } } } });
    const sms = new SmsTemplates(cfg, new TemplateLoader(cfg, { client: FAST }));
    expect(await sms.body("login_code_valid", { To: "+1", LoginCode: "1" })).toBe("First 1");
    cfg.courier.templates = { login_code: { valid: { sms: { body: { plaintext: base64("Second {{ .LoginCode }}") } } } } };
    expect(await sms.body("login_code_valid", { To: "+1", LoginCode: "2" })).toBe("Second 2");
  });
});
