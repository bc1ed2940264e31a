import type { KratosConfig } from "../config/load";
import type { TemplateLoader } from "./template-loader";
import { SMS_MODELS } from "./template-data";
import { goTemplateModel } from "./template-model";
import { location, type TemplateModel, type TemplateType } from "./templates";

/** The template types Kratos can send as SMS (sms_templates.go NewSMSTemplateFromMessage). */
export const SMS_TEMPLATE_TYPES = Object.keys(SMS_MODELS) as TemplateType[];

export function isSmsTemplateType(type: TemplateType): boolean {
  return type in SMS_MODELS;
}

/**
 * The SMS bodies (courier/template/sms/*.go SMSBody, template.LoadText), loaded
 * when the message is queued: `courier.templates.<type>.valid.sms.body.plaintext`
 * when set, else `<template_override_path>/<type>/valid/sms.body.gotmpl`, else
 * the built-in text.
 */
export class SmsTemplates {
  constructor(
    private readonly config: KratosConfig,
    private readonly loader: TemplateLoader,
  ) {}

  /** The SMS body for a template type Kratos sends as SMS; other types are Kratos' "unexpected message template type". */
  async body(
    type: TemplateType,
    model: TemplateModel,
    signal?: AbortSignal,
    requestHeaders?: Readonly<Record<string, readonly string[]>>,
  ): Promise<string> {
    if (!isSmsTemplateType(type)) throw new Error(`received unexpected message template type: ${type}`);
    const { folder } = location(type);
    const template = await this.loader.load(
      {
        name: `${folder}/valid/sms.body.gotmpl`,
        remoteUrl: this.config.courier.templates?.[folder]?.valid?.sms?.body?.plaintext,
        builtIn: BUILT_IN[type] ?? "",
      },
      signal,
    );
    return template.render(goTemplateModel("sms", type, model, requestHeaders));
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
