import type { KratosConfig } from "../config/load";
import type { TemplateLoader } from "./template-loader";
import { goTemplateModel } from "./template-model";
import type { TemplateModel, TemplateType } from "./template-types";

export { TEMPLATE_TYPES, type TemplateModel, type TemplateType } from "./template-types";

type Part = "subject" | "plaintext" | "html";
type RequestHeaders = Readonly<Record<string, readonly string[]>>;

/** Where each type lives under `courier.templates` and in template folders: `<folder>/<status>/email.*.gotmpl`. */
export function location(type: TemplateType): { folder: string; status: "valid" | "invalid" } {
  const status = type.endsWith("_invalid") ? "invalid" : "valid";
  return { folder: type.slice(0, -(status.length + 1)), status };
}

const PART_FILES: Record<Part, string> = {
  subject: "email.subject.gotmpl",
  plaintext: "email.body.plaintext.gotmpl",
  html: "email.body.gotmpl",
};

/** `courier.templates.<folder>.<status>.email` as the config holds it now (Kratos reads it per message). */
function configuredEmail(config: KratosConfig, type: TemplateType) {
  const { folder, status } = location(type);
  return config.courier.templates?.[folder]?.[status]?.email;
}

/**
 * The mail templates of courier/template/email/*.go: EmailSubject,
 * EmailBodyPlaintext and EmailBody each load their part when asked
 * (template.LoadText / LoadHTML through the loader): the configured
 * `courier.templates` URL, else `<template_override_path>/<type>/<status>/email.*.gotmpl`,
 * else the built-in text below.
 */
export class EmailTemplates {
  constructor(
    private readonly config: KratosConfig,
    private readonly loader: TemplateLoader,
  ) {}

  /** EmailSubject: strings.TrimSpace of the rendered text (a header must not carry the file's trailing newline). */
  async subject(type: TemplateType, model: TemplateModel, signal?: AbortSignal, requestHeaders?: RequestHeaders): Promise<string> {
    return (await this.render(type, "subject", model, signal, requestHeaders)).trim();
  }

  /** `requestHeaders`: the model's UserRequestHeaders, which only a message being queued has. */
  async plaintext(type: TemplateType, model: TemplateModel, signal?: AbortSignal, requestHeaders?: RequestHeaders): Promise<string> {
    return this.render(type, "plaintext", model, signal, requestHeaders);
  }

  async html(type: TemplateType, model: TemplateModel): Promise<string> {
    return this.render(type, "html", model);
  }

  private async render(
    type: TemplateType,
    part: Part,
    model: TemplateModel,
    signal?: AbortSignal,
    requestHeaders?: RequestHeaders,
  ): Promise<string> {
    const configured = configuredEmail(this.config, type);
    const remoteUrl = part === "subject" ? configured?.subject : configured?.body?.[part];
    const { folder, status } = location(type);
    const template = await this.loader.load(
      { name: `${folder}/${status}/${PART_FILES[part]}`, remoteUrl, builtIn: BUILT_IN[type][part], html: part === "html" },
      signal,
    );
    return template.render(goTemplateModel("email", type, model, requestHeaders));
  }
}

/** Plain, unbranded defaults for types a domain does not configure (our own wording, same fields as Kratos'). */
const invalid = (what: string): Record<Part, string> => ({
  subject: `Someone tried to ${what}`,
  plaintext: `Hello,\n\nsomeone asked to ${what} using this email address, but no account uses it.\n\nIf this was you, check whether you signed up with a different address. If it was not you, ignore this message.\n`,
  html: `<p>Hello,</p><p>someone asked to ${what} using this email address, but no account uses it.</p><p>If this was you, check whether you signed up with a different address. If it was not you, ignore this message.</p>`,
});

const BUILT_IN: Record<TemplateType, Record<Part, string>> = {
  recovery_valid: {
    subject: "Recover access to your account",
    plaintext: "Hello,\n\nopen this link to recover access to your account:\n\n{{ .RecoveryURL }}\n",
    html: '<p>Hello,</p><p>open this link to recover access to your account:</p><p><a href="{{ .RecoveryURL }}">{{ .RecoveryURL }}</a></p>',
  },
  recovery_invalid: invalid("recover access to an account"),
  recovery_code_valid: {
    subject: "Recover access to your account",
    plaintext: "Hello,\n\nenter this code to recover access to your account:\n\n{{ .RecoveryCode }}\n",
    html: "<p>Hello,</p><p>enter this code to recover access to your account:</p><p><strong>{{ .RecoveryCode }}</strong></p>",
  },
  recovery_code_invalid: invalid("recover access to an account"),
  verification_valid: {
    subject: "Please verify your email address",
    plaintext: "Hello,\n\nopen this link to verify your email address:\n\n{{ .VerificationURL }}\n",
    html: '<p>Hello,</p><p>open this link to verify your email address:</p><p><a href="{{ .VerificationURL }}">{{ .VerificationURL }}</a></p>',
  },
  verification_invalid: invalid("verify an email address"),
  verification_code_valid: {
    subject: "Please verify your email address",
    plaintext:
      "Hello,\n\nenter this code to verify your email address:\n\n{{ .VerificationCode }}\n\nor open this link: {{ .VerificationURL }}\n",
    html: '<p>Hello,</p><p>enter this code to verify your email address:</p><p><strong>{{ .VerificationCode }}</strong></p><p>or open this link: <a href="{{ .VerificationURL }}">{{ .VerificationURL }}</a></p>',
  },
  verification_code_invalid: invalid("verify an email address"),
  login_code_valid: {
    subject: "Your sign-in code: {{ .LoginCode }}",
    plaintext: "Hello,\n\nuse this code to sign in:\n\n{{ .LoginCode }}\n\nIt expires in {{ .ExpiresInMinutes }} minutes.\n",
    html: "<p>Hello,</p><p>use this code to sign in:</p><p><strong>{{ .LoginCode }}</strong></p><p>It expires in {{ .ExpiresInMinutes }} minutes.</p>",
  },
  registration_code_valid: {
    subject: "Your sign-up code: {{ .RegistrationCode }}",
    plaintext:
      "Hello,\n\nuse this code to finish signing up:\n\n{{ .RegistrationCode }}\n\nIt expires in {{ .ExpiresInMinutes }} minutes.\n",
    html: "<p>Hello,</p><p>use this code to finish signing up:</p><p><strong>{{ .RegistrationCode }}</strong></p><p>It expires in {{ .ExpiresInMinutes }} minutes.</p>",
  },
};
