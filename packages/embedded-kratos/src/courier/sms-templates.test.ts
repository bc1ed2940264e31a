import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadKratosConfig } from "../config/load";
import { CIAM_CONFIG } from "../testing/harness";
import { SmsTemplates } from "./sms-templates";
import { TemplateLoader } from "./template-loader";
import { goTemplateData } from "./template-data";

const base64 = (text: string) => `base64://${Buffer.from(text).toString("base64")}`;

describe("SMS templates (courier/template/sms/*.go SMSBody, template.LoadText)", () => {
  it("reads courier.templates.<type>.valid.sms.body.plaintext, then <template_override_path>/<type>/valid/sms.body.gotmpl, then the built-in", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sms-templates-"));
    mkdirSync(path.join(dir, "verification_code", "valid"), { recursive: true });
    writeFileSync(path.join(dir, "verification_code", "valid", "sms.body.gotmpl"), "Verify with {{ .VerificationCode }}");
    const config = loadKratosConfig(CIAM_CONFIG, {
      warn: () => {},
      overrides: {
        courier: {
          template_override_path: dir,
          templates: { login_code: { valid: { sms: { body: { plaintext: base64("Login: {{ .LoginCode }} ({{ .To }})") } } } } },
        },
      },
    });
    const templates = new SmsTemplates(config, new TemplateLoader(config));
    expect(await templates.body("login_code_valid", { To: "+15550100", LoginCode: "111222" })).toBe("Login: 111222 (+15550100)");
    expect(await templates.body("verification_code_valid", { To: "+15550100", VerificationCode: "333444" })).toBe("Verify with 333444");
    // The built-in recovery text ends with the WebOTP line Kratos' built-in has.
    expect(
      await templates.body("recovery_code_valid", { To: "+15550100", RecoveryCode: "555666", RequestURLDomain: "auth.example" }),
    ).toContain("@auth.example #555666");
  });

  it("has no SMS for the other template types (NewSMSTemplateFromMessage: unexpected message template type)", async () => {
    const config = loadKratosConfig(CIAM_CONFIG, { warn: () => {} });
    await expect(new SmsTemplates(config, new TemplateLoader(config)).body("recovery_valid", { To: "+15550100" })).rejects.toThrow(
      "received unexpected message template type: recovery_valid",
    );
  });
});

describe("template_data of the HTTP channel's payload (json.Marshal of the template models)", () => {
  it("writes every field of the Go model with its zero value, and the SMS recovery code under Kratos' verification_code tag", () => {
    expect(goTemplateData("sms", "recovery_code_valid", { To: "+15550100", RecoveryCode: "777888" })).toEqual({
      to: "+15550100",
      verification_code: "777888",
      identity: null,
      request_url: "",
      request_url_domain: "",
      transient_payload: {},
      expires_in_minutes: 0,
    });
    // email.RecoveryCodeValidModel tags it recovery_code; email.RegistrationCodeValidModel carries traits, not identity.
    expect(goTemplateData("email", "recovery_code_valid", { To: "a@b.c", RecoveryCode: "1" })).toMatchObject({ recovery_code: "1" });
    expect(Object.keys(goTemplateData("email", "registration_code_valid", { To: "a@b.c" }))).toEqual([
      "to",
      "traits",
      "registration_code",
      "request_url",
      "transient_payload",
      "expires_in_minutes",
    ]);
  });
});
