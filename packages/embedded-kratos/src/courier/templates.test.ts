import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadKratosConfig } from "../config/load";
import { CIAM_CONFIG, IAM_CONFIG } from "../testing/harness";
import { compileTemplate, escapeHtml } from "./go-template";
import { TemplateRegistry } from "./templates";

describe("Go template subset", () => {
  it("substitutes fields, nested lookups and honours trim markers and comments", () => {
    const t = compileTemplate(
      "Hi {{ .To }}!\n  {{- /* note */ -}}\n  Code: {{.RecoveryCode}} for {{ .Identity.traits.email }}{{ .Missing.deep }}.",
    );
    expect(t.render({ To: "a@b.c", RecoveryCode: "123456", Identity: { traits: { email: "x@y.z" } } })).toBe(
      "Hi a@b.c!Code: 123456 for x@y.z.",
    );
  });

  it("escapes substituted values, never the template's own markup, in HTML bodies", () => {
    const t = compileTemplate('<a href="{{ .RecoveryURL }}">{{ .To }}</a>');
    expect(t.render({ RecoveryURL: "https://x/?a=1&b=2", To: "<script>" }, escapeHtml)).toBe(
      '<a href="https://x/?a=1&amp;b=2">&lt;script&gt;</a>',
    );
  });

  it("rejects actions beyond field lookups at parse time", () => {
    expect(() => compileTemplate("{{ if .To }}x{{ end }}", "t")).toThrow(/unsupported template action/);
    expect(() => compileTemplate("{{ .To | printf }}", "t")).toThrow(/unsupported/);
    expect(() => compileTemplate("{{ .To ", "t")).toThrow(/unbalanced/);
  });
});

describe("template registry", () => {
  it("renders the domain's own files mapped from /etc/config/kratos and built-in defaults for the rest", () => {
    const registry = new TemplateRegistry(loadKratosConfig(CIAM_CONFIG, { warn: () => {} }));
    const recovery = registry.render("recovery_code_valid", { To: "ann@example.com", RecoveryCode: "024680" });
    expect(recovery.subject).toBe("Olympus: Recover access to your account");
    expect(recovery.plaintext).toContain("024680");
    expect(recovery.plaintext).toContain("This message was sent to ann@example.com");
    expect(recovery.html).toContain('<h1 style="color:#2563eb;font-size:20px">Olympus</h1>');

    const login = registry.render("login_code_valid", { To: "ann@example.com", LoginCode: "135791", ExpiresInMinutes: 15 });
    expect(login.subject).toBe("Your sign-in code: 135791");
    expect(login.plaintext).toContain("It expires in 15 minutes.");
  });

  it("renders each domain's own branding: an employee's mail never looks like a customer's", () => {
    const render = (configPath: string) =>
      new TemplateRegistry(loadKratosConfig(configPath, { warn: () => {} })).render("recovery_code_valid", {
        To: "ann@example.com",
        RecoveryCode: "024680",
      });
    const [customer, employee] = [render(CIAM_CONFIG), render(IAM_CONFIG)];
    expect(employee.subject).toBe("Olympus Workforce: Recover access to your account");
    expect(employee.html).toContain('<h1 style="color:#7c3aed;font-size:20px">Olympus Workforce</h1>');
    expect(employee.plaintext).toContain("024680");
    expect(employee.subject).not.toBe(customer.subject);
    expect(employee.html).not.toContain("#2563eb");
    expect(customer.html).not.toContain("Workforce");
  });

  it("fails at start-up on a template file that is missing or uses unsupported syntax", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ek-templates-"));
    mkdirSync(path.join(dir, "t"));
    writeFileSync(path.join(dir, "t", "subject.gotmpl"), "{{ range .X }}{{ end }}");
    const base = loadKratosConfig(CIAM_CONFIG, { warn: () => {} });
    const config = (subject: string) => ({
      ...base,
      source: path.join(dir, "kratos.yml"),
      courier: { ...base.courier, templates: { recovery_code: { valid: { email: { subject } } } } },
    });
    expect(() => new TemplateRegistry(config("file:///etc/config/kratos/t/subject.gotmpl"))).toThrow(ConfigError);
    expect(() => new TemplateRegistry(config("file:///etc/config/kratos/t/missing.gotmpl"))).toThrow(/cannot read template/);
  });
});
