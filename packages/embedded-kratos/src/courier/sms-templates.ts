import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ConfigError, type KratosConfig } from "../config/load";
import { type CompiledTemplate, compileTemplate, TemplateSyntaxError } from "./go-template";
import { SMS_MODELS } from "./template-data";
import { location, readTemplatesConfig, readTemplateUrl, type TemplateModel, type TemplateType } from "./templates";

/** The template types Kratos can send as SMS (sms_templates.go NewSMSTemplateFromMessage). */
export const SMS_TEMPLATE_TYPES = Object.keys(SMS_MODELS) as TemplateType[];

export function isSmsTemplateType(type: TemplateType): boolean {
  return type in SMS_MODELS;
}

const smsTemplateConfig = z.object({ body: z.object({ plaintext: z.string().optional() }).optional() }).optional();
const templatesConfig = z.record(z.string(), z.object({ valid: z.object({ sms: smsTemplateConfig }).optional() }).optional());

/**
 * The SMS bodies (courier/template/sms/*.go SMSBody, template.LoadText):
 * `courier.templates.<type>.valid.sms.body.plaintext` when set, else
 * `<template_override_path>/<type>/valid/sms.body.gotmpl`, else the
 * built-in text. Read and compiled once, at start-up, like the email
 * templates.
 */
export class SmsTemplateRegistry {
  private readonly compiled = new Map<TemplateType, CompiledTemplate>();

  constructor(config: KratosConfig) {
    const { templates, configDir, overrideDir } = readTemplatesConfig(config, templatesConfig);
    for (const type of SMS_TEMPLATE_TYPES) {
      const { folder } = location(type);
      const key = `courier.templates.${folder}.valid.sms.body.plaintext`;
      const url = templates[folder]?.valid?.sms?.body?.plaintext;
      let source = BUILT_IN[type] ?? "";
      let name = `${key} (built-in)`;
      if (url) {
        source = readTemplateUrl(url, configDir, key);
        name = key;
      } else if (overrideDir) {
        const file = path.join(overrideDir, folder, "valid", "sms.body.gotmpl");
        if (existsSync(file)) {
          source = readFileSync(file, "utf8");
          name = file;
        }
      }
      try {
        this.compiled.set(type, compileTemplate(source, name));
      } catch (error) {
        if (error instanceof TemplateSyntaxError) throw new ConfigError(`invalid Kratos config ${config.source}: ${error.message}`);
        throw error;
      }
    }
  }

  /** The SMS body for a template type Kratos sends as SMS; other types are Kratos' "unexpected message template type". */
  render(type: TemplateType, model: TemplateModel): string {
    const template = this.compiled.get(type);
    if (!template) throw new Error(`received unexpected message template type: ${type}`);
    return template.render(model as unknown as Record<string, unknown>);
  }
}

/**
 * Built-in SMS bodies: one short message each, the same fields as Kratos'
 * (our own wording). The recovery code ends with the WebOTP line
 * (`@domain #code`) Kratos' built-in adds, so browsers can offer the code.
 */
const BUILT_IN: Partial<Record<TemplateType, string>> = {
  login_code_valid: "Your sign-in code: {{ .LoginCode }}\n\nIt expires in {{ .ExpiresInMinutes }} minutes.\n",
  registration_code_valid: "Your sign-up code: {{ .RegistrationCode }}\n\nIt expires in {{ .ExpiresInMinutes }} minutes.\n",
  verification_code_valid:
    "Your verification code: {{ .VerificationCode }}\n\nIt expires in {{ .ExpiresInMinutes }} minutes. If you did not ask for it, ignore this message.\n",
  recovery_code_valid: "Your account recovery code: {{ .RecoveryCode }}\n\n@{{ .RequestURLDomain }} #{{ .RecoveryCode }}\n",
};
