import { goQuote } from "@olympus/server-kit/go-strconv";
import { type ValidationError, validationError } from "./validation-error";

/**
 * The part of a schema's `ory.sh/kratos` extension block that can fail a
 * validation. Kratos registers the block as an ory/jsonschema extension
 * (schema/extension.go ExtensionRunner): its Validate runs after every
 * other keyword of the same schema (schema.go `validate` ranges over
 * s.Extensions last) and its error joins that schema's errors. Of the
 * runners identity/validator.go Validate passes (credentials, verification,
 * recovery), only the credentials one refuses a value on its own:
 * identity/extension_credentials.go SchemaExtensionCredentials.Run, for a
 * `code` identifier whose `via` NewCodeChannel does not know.
 */
export interface KratosExtension {
  /** `credentials.code.via` of a trait marked `credentials.code.identifier` (Go's zero value "" when absent). */
  codeVia?: string;
}

type Obj = Record<string, unknown>;

const CODE_CHANNELS = ["email", "sms"];

const isObj = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);

const child = (node: unknown, key: string): Obj | undefined => {
  const value = isObj(node) ? node[key] : undefined;
  return isObj(value) ? value : undefined;
};

/** The extension's compile step (ExtensionRunner.compile decodes the block into ExtensionConfig); undefined without a block. */
export function compileKratosExtension(node: Obj): KratosExtension | undefined {
  const code = child(child(child(node, "ory.sh/kratos"), "credentials"), "code");
  if (code?.identifier !== true) return undefined;
  const via = code.via ?? "";
  // json.Decode into a string field refuses any other type, so Kratos cannot compile the schema.
  if (typeof via !== "string") throw new Error(`ory.sh/kratos: credentials.code.via must be a string`);
  return { codeVia: via };
}

/**
 * SchemaExtensionCredentials.Run: NewCodeChannel matches `via` exactly
 * (stringsx.SwitchExact), and anything else — "" included — fails the value
 * at the keyword pointer Kratos names, written as Kratos writes it.
 */
export function kratosExtensionError(extension: KratosExtension): ValidationError | undefined {
  const via = extension.codeVia;
  if (via === undefined || CODE_CHANNELS.includes(via)) return undefined;
  return validationError("ory.sh~/kratos/credentials/code/via", `channel type ${goQuote(via)} must be one of ${CODE_CHANNELS.join(", ")}`);
}
