import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ConfigError, type KratosConfig, resolveFileUrl } from "../config/load";
import { type CompiledTemplate, compileTemplate, escapeHtml, TemplateSyntaxError } from "./go-template";

/** `template_type` values of courier messages (courier/template/type.go). */
export const TEMPLATE_TYPES = [
  "recovery_valid",
  "recovery_invalid",
  "recovery_code_valid",
  "recovery_code_invalid",
  "verification_valid",
  "verification_invalid",
  "verification_code_valid",
  "verification_code_invalid",
  "login_code_valid",
  "registration_code_valid",
] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

/**
 * Template data, keyed by the Go field names templates use
 * (`{{ .RecoveryCode }}`, `{{ .Identity.traits.email }}`).
 */
export interface TemplateModel {
  To: string;
  RequestURL?: string;
  TransientPayload?: Record<string, unknown>;
  ExpiresInMinutes?: number;
  Identity?: Record<string, unknown>;
  Traits?: Record<string, unknown>;
  RecoveryCode?: string;
  RecoveryURL?: string;
  VerificationCode?: string;
  VerificationURL?: string;
  LoginCode?: string;
  RegistrationCode?: string;
  /** The host of RequestURL (SMS recovery codes: the WebOTP `@domain #code` line). */
  RequestURLDomain?: string;
}

export interface RenderedEmail {
  subject: string;
  plaintext: string;
  html: string;
}

type Part = "subject" | "plaintext" | "html";

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

const emailTemplateConfig = z
  .object({
    subject: z.string().optional(),
    body: z.object({ html: z.string().optional(), plaintext: z.string().optional() }).optional(),
  })
  .optional();
const templatesConfig = z.record(
  z.string(),
  z
    .object({ valid: z.object({ email: emailTemplateConfig }).optional(), invalid: z.object({ email: emailTemplateConfig }).optional() })
    .optional(),
);

/**
 * `courier.templates` read with the keys a registry looks at (a bad value is a
 * configuration error naming its key), with the folders relative paths and
 * `template_override_path` resolve against.
 */
export function readTemplatesConfig<T>(
  config: KratosConfig,
  schema: z.ZodType<T>,
): { templates: T; configDir: string; overrideDir: string | undefined } {
  const configDir = path.dirname(config.source);
  const parsed = schema.safeParse(config.courier.templates ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `invalid Kratos config ${config.source}: courier.templates.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
    );
  }
  const overrideDir = config.courier.template_override_path ? path.resolve(configDir, config.courier.template_override_path) : undefined;
  return { templates: parsed.data, configDir, overrideDir };
}

/**
 * The domain's mail templates: files from `courier.templates` (and
 * `courier.template_override_path`), falling back per part to the built-in
 * texts below. Everything is read and compiled once, at start-up; a missing
 * file or unsupported syntax is a configuration error.
 */
export class TemplateRegistry {
  private readonly compiled = new Map<string, CompiledTemplate>();

  constructor(config: KratosConfig) {
    const { templates, configDir, overrideDir } = readTemplatesConfig(config, templatesConfig);

    for (const type of TEMPLATE_TYPES) {
      const { folder, status } = location(type);
      const configured = templates[folder]?.[status]?.email;
      const urls: Record<Part, string | undefined> = {
        subject: configured?.subject,
        plaintext: configured?.body?.plaintext,
        html: configured?.body?.html,
      };
      for (const part of ["subject", "plaintext", "html"] as const) {
        const key = `courier.templates.${folder}.${status}.email.${part === "subject" ? "subject" : `body.${part}`}`;
        let source: string | undefined;
        let name = `${key} (built-in)`;
        const url = urls[part];
        if (url) {
          source = readTemplateUrl(url, configDir, key);
          name = key;
        } else if (overrideDir) {
          const file = path.join(overrideDir, folder, status, PART_FILES[part]);
          if (existsSync(file)) {
            source = readFileSync(file, "utf8");
            name = file;
          }
        }
        source ??= BUILT_IN[type][part];
        try {
          this.compiled.set(`${type}:${part}`, compileTemplate(source, name));
        } catch (error) {
          if (error instanceof TemplateSyntaxError) throw new ConfigError(`invalid Kratos config ${config.source}: ${error.message}`);
          throw error;
        }
      }
    }
  }

  render(type: TemplateType, model: TemplateModel): RenderedEmail {
    const data = model as unknown as Record<string, unknown>;
    const part = (p: Part) => this.compiled.get(`${type}:${p}`)?.render(data, p === "html" ? escapeHtml : undefined) ?? "";
    // Go's templates keep the trailing newline of a subject file; a header must not carry it.
    return { subject: part("subject").trim(), plaintext: part("plaintext"), html: part("html") };
  }
}

export function readTemplateUrl(url: string, configDir: string, key: string): string {
  if (url.startsWith("base64://")) return Buffer.from(url.slice("base64://".length), "base64").toString("utf8");
  const file = resolveFileUrl(url, configDir, key);
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`${key}: cannot read template ${file}: ${(error as Error).message}`);
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
