import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadKratosConfig } from "../config/load";
import { CIAM_CONFIG, IAM_CONFIG } from "../testing/harness";
import { TemplateLoader } from "./template-loader";
import { EmailTemplates } from "./templates";

/** The domain's templates as the courier renders them: a loader of its own, the templates read at the first render. */
const emailTemplates = (configPath: string) => {
  const config = loadKratosConfig(configPath, { warn: () => {} });
  return new EmailTemplates(config, new TemplateLoader(config));
};

describe("email templates (courier/template/email/*.go EmailSubject, EmailBodyPlaintext, EmailBody)", () => {
  it("renders the domain's own files mapped from /etc/config/kratos and built-in defaults for the rest", async () => {
    const templates = emailTemplates(CIAM_CONFIG);
    const recovery = { To: "ann@example.com", RecoveryCode: "024680" };
    expect(await templates.subject("recovery_code_valid", recovery)).toBe("Olympus: Recover access to your account");
    expect(await templates.plaintext("recovery_code_valid", recovery)).toContain("024680");
    expect(await templates.plaintext("recovery_code_valid", recovery)).toContain("This message was sent to ann@example.com");
    expect(await templates.html("recovery_code_valid", recovery)).toContain('<h1 style="color:#2563eb;font-size:20px">Olympus</h1>');

    const login = { To: "ann@example.com", LoginCode: "135791", ExpiresInMinutes: 15 };
    expect(await templates.subject("login_code_valid", login)).toBe("Your sign-in code: 135791");
    expect(await templates.plaintext("login_code_valid", login)).toContain("It expires in 15 minutes.");
  });

  it("renders each domain's own branding: an employee's mail never looks like a customer's", async () => {
    const model = { To: "ann@example.com", RecoveryCode: "024680" };
    const [customer, employee] = [emailTemplates(CIAM_CONFIG), emailTemplates(IAM_CONFIG)];
    // Rendered side by side in one process: each instance keeps its own template cache.
    const customerSubject = await customer.subject("recovery_code_valid", model);
    const employeeSubject = await employee.subject("recovery_code_valid", model);
    expect(employeeSubject).toBe("Olympus Workforce: Recover access to your account");
    expect(await employee.html("recovery_code_valid", model)).toContain('<h1 style="color:#7c3aed;font-size:20px">Olympus Workforce</h1>');
    expect(await employee.plaintext("recovery_code_valid", model)).toContain("024680");
    expect(employeeSubject).not.toBe(customerSubject);
    expect(await employee.html("recovery_code_valid", model)).not.toContain("#2563eb");
    expect(await customer.html("recovery_code_valid", model)).not.toContain("Workforce");
  });

  it("reads nothing when built: a missing template file or a failing template fails the render that needs it (load_template.go)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ek-templates-"));
    mkdirSync(path.join(dir, "t"));
    writeFileSync(path.join(dir, "t", "subject.gotmpl"), "{{ range .X }}{{ end }}");
    const base = loadKratosConfig(CIAM_CONFIG, { warn: () => {} });
    const templates = (subject: string) => {
      const config = {
        ...base,
        source: path.join(dir, "kratos.yml"),
        courier: { ...base.courier, templates: { recovery_code: { valid: { email: { subject } } } } },
      };
      return new EmailTemplates(config, new TemplateLoader(config));
    };
    const failing = templates("file:///etc/config/kratos/t/subject.gotmpl");
    const missing = templates("file:///etc/config/kratos/t/missing.gotmpl");
    const model = { To: "ann@example.com", RecoveryCode: "1" };
    // LoadText returns Execute's error as it is: text/template's, with the URL as the template's name.
    await expect(failing.subject("recovery_code_valid", model)).rejects.toThrow(
      `template: file:///etc/config/kratos/t/subject.gotmpl:1:9: executing "file:///etc/config/kratos/t/subject.gotmpl" at <.X>: can't evaluate field X in type *email.RecoveryCodeValidModel`,
    );
    await expect(missing.subject("recovery_code_valid", model)).rejects.toThrow(
      "unable to open file: /etc/config/kratos/t/missing.gotmpl: open /etc/config/kratos/t/missing.gotmpl: no such file or directory",
    );
    // The other parts do not depend on the broken one.
    expect(await missing.plaintext("recovery_code_valid", model)).toContain("1");
  });
});
