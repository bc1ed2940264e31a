import { goQuote } from "@olympus/server-kit/go-strconv";
import { normalizeCodeAddress } from "../normalize";
import { numberText } from "./json-number";
import type { Json } from "./resource";
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
 * `code` identifier whose `via` NewCodeChannel does not know or whose `sms`
 * value is no phone number.
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
 * at the keyword pointer Kratos names, written as Kratos writes it. Then
 * x.NormalizeIdentifier(fmt.Sprintf("%s", value), via): a value of an `sms`
 * identifier that is no valid phone number fails with phonenumbers' text
 * as a bare ValidationError, which takes the schema's own pointer.
 */
export function kratosExtensionError(extension: KratosExtension, value: Json): ValidationError | undefined {
  const via = extension.codeVia;
  if (via === undefined) return undefined;
  if (!CODE_CHANNELS.includes(via))
    return validationError(
      "ory.sh~/kratos/credentials/code/via",
      `channel type ${goQuote(via)} must be one of ${CODE_CHANNELS.join(", ")}`,
    );
  const normalized = normalizeCodeAddress(goPercentS(value), via);
  return "error" in normalized ? validationError("", normalized.error) : undefined;
}

/** fmt's `%s` of a decoded JSON value: a json.Number is its text; maps print with sorted keys, other kinds as `%!s(…)`. */
function goPercentS(value: Json): string {
  if (typeof value === "string") return value;
  const number = numberText(value);
  if (number !== undefined) return number;
  if (typeof value === "boolean") return `%!s(bool=${String(value)})`;
  if (Array.isArray(value)) return `[${value.map(goPercentS).join(" ")}]`;
  if (isObj(value))
    return `map[${Object.keys(value)
      .sort()
      .map((key) => `${key}:${goPercentS(value[key])}`)
      .join(" ")}]`;
  return "%!s(<nil>)";
}
