import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { ConfigError, type IdentitySchemaSource } from "../config/load";
import { isPlainObject } from "../config/unknown-keys";
import { messages, type UiText } from "../ui/messages";
import { ajvParamText, ajvTypeNames } from "./ajv-params";
import { validationErrorText } from "./validation-text";

/** The `ory.sh/kratos` extension block of one trait. */
export interface KratosTraitExtension {
  credentials?: {
    password?: { identifier?: boolean };
    code?: { identifier?: boolean; via?: string };
    webauthn?: { identifier?: boolean };
    passkey?: { display_name?: boolean };
    totp?: { account_name?: boolean };
  };
  verification?: { via?: string };
  recovery?: { via?: string };
}

/** Whether the trait is an identifier of the given credential type (`credentials.<type>.identifier: true`). */
export function isCredentialIdentifier(extension: KratosTraitExtension, type: string): boolean {
  return Object.entries(extension.credentials ?? {}).some(
    ([t, c]) => t === type && c !== undefined && "identifier" in c && c.identifier === true,
  );
}

/** One leaf of `traits` as the UI and the extension keys see it. */
export interface TraitPath {
  /** Dotted name, e.g. `traits.name.first`. */
  name: string;
  /** Path below `traits`, e.g. ["name", "first"]. */
  segments: string[];
  type: string;
  format?: string;
  pattern?: string;
  title?: string;
  enum?: unknown[];
  required: boolean;
  extension: KratosTraitExtension;
}

export interface FieldError {
  /** Dotted node name (`traits.email`) or undefined for a flow-level message. */
  name: string | undefined;
  message: UiText;
}

export interface IdentitySchema {
  id: string;
  /** The raw schema document (served on /schemas/{id}). */
  document: Record<string, unknown>;
  paths: TraitPath[];
  validate: ValidateFunction;
}

const base64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** Loads, compiles and serves the configured identity schemas. */
export class SchemaRegistry {
  private readonly schemas = new Map<string, IdentitySchema>();
  readonly defaultId: string;

  constructor(
    sources: IdentitySchemaSource[],
    defaultId: string,
    private readonly publicBaseUrl: string,
  ) {
    this.defaultId = defaultId;
    for (const source of sources) this.schemas.set(source.id, compile(source));
  }

  get(id: string): IdentitySchema | undefined {
    return this.schemas.get(id);
  }

  /** Finds a schema by plain id or by its base64url-encoded id (as used in schema_url). */
  lookup(idOrEncoded: string): IdentitySchema | undefined {
    const direct = this.schemas.get(idOrEncoded);
    if (direct) return direct;
    for (const schema of this.schemas.values()) if (base64url(schema.id) === idOrEncoded) return schema;
    return undefined;
  }

  list(): IdentitySchema[] {
    return [...this.schemas.values()];
  }

  schemaUrl(id: string): string {
    return `${this.publicBaseUrl}schemas/${base64url(id)}`;
  }

  /**
   * The admin API's text for invalid traits (ory/jsonschema's error string,
   * see validation-text.ts), or undefined when they are valid.
   */
  validationErrorText(schema: IdentitySchema, traits: unknown): string | undefined {
    const document = { traits };
    if (schema.validate(document)) return undefined;
    return validationErrorText(schema.validate.errors ?? [], document);
  }

  /** Validates `traits` against the schema, returning Kratos-style field messages (empty when valid). */
  validateTraits(schema: IdentitySchema, traits: unknown): FieldError[] {
    if (schema.validate({ traits })) return [];
    return (schema.validate.errors ?? []).flatMap((e) => toFieldErrors(e));
  }
}

function compile(source: IdentitySchemaSource): IdentitySchema {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(source.file, "utf8"));
  } catch (error) {
    throw new ConfigError(`identity schema "${source.id}" (${source.url} → ${source.file}) cannot be loaded: ${(error as Error).message}`);
  }
  if (!isPlainObject(document)) throw new ConfigError(`identity schema "${source.id}" must be a JSON object`);
  const draft2020 = typeof document.$schema === "string" && document.$schema.includes("2020-12");
  const ajv = draft2020 ? new Ajv2020({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // strict: false lets the `ory.sh/kratos` extension key through as an annotation.
  // Kratos' own format names.
  ajv.addFormat("tel", /^\+?[0-9 ()-]{4,}$/);
  ajv.addFormat("email_loose", /^[^\s@]+@[^\s@]+$/);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(document);
  } catch (error) {
    throw new ConfigError(`identity schema "${source.id}" is not a valid JSON schema: ${(error as Error).message}`);
  }
  const traits = isPlainObject(document.properties) ? document.properties.traits : undefined;
  if (!isPlainObject(traits)) throw new ConfigError(`identity schema "${source.id}" must declare properties.traits`);
  return { id: source.id, document, paths: collectPaths(traits, []), validate };
}

function collectPaths(node: Record<string, unknown>, segments: string[]): TraitPath[] {
  const properties = isPlainObject(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? (node.required as unknown[]).filter((r): r is string => typeof r === "string") : [];
  const out: TraitPath[] = [];
  for (const [key, child] of Object.entries(properties)) {
    if (!isPlainObject(child)) continue;
    const path = [...segments, key];
    const type = Array.isArray(child.type) ? String(child.type[0]) : typeof child.type === "string" ? child.type : "string";
    if (type === "object" && isPlainObject(child.properties)) {
      out.push(...collectPaths(child, path));
      continue;
    }
    // The extension block is read as written, like the rest of the schema document.
    const ext = child["ory.sh/kratos"];
    out.push({
      name: ["traits", ...path].join("."),
      segments: path,
      type,
      format: typeof child.format === "string" ? child.format : undefined,
      pattern: typeof child.pattern === "string" ? child.pattern : undefined,
      title: typeof child.title === "string" ? child.title : undefined,
      enum: Array.isArray(child.enum) ? child.enum : undefined,
      required: required.includes(key),
      extension: isPlainObject(ext) ? ext : {},
    });
  }
  return out;
}

/** Maps one ajv error to Kratos' message ids (ui/container/container.go translateValidationError). */
function toFieldErrors(e: ErrorObject): FieldError[] {
  const pointerName = (pointer: string) => (pointer ? pointer.split("/").filter(Boolean).map(unescapePointer).join(".") : undefined);
  const name = pointerName(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const data = e.data;
  const num = (v: unknown) => (typeof v === "number" ? v : Number(v));
  switch (e.keyword) {
    case "required": {
      const missing = ajvParamText(p.missingProperty);
      return [{ name: pointerName(`${e.instancePath}/${missing}`), message: messages.required(missing) }];
    }
    case "minLength":
      return [{ name, message: messages.minLength(num(p.limit), typeof data === "string" ? [...data].length : 0) }];
    case "maxLength":
      return [{ name, message: messages.maxLength(num(p.limit), typeof data === "string" ? [...data].length : 0) }];
    case "pattern":
      return [{ name, message: messages.invalidFormat(ajvParamText(p.pattern)) }];
    case "format": {
      const format = ajvParamText(p.format);
      const value = typeof data === "string" ? data : JSON.stringify(data);
      if (format === "email" || format === "email_loose" || format === "idn-email")
        return [{ name, message: messages.invalidEmail(value) }];
      if (format === "tel") return [{ name, message: messages.invalidPhone(value) }];
      return [{ name, message: messages.generic(`${JSON.stringify(value)} is not valid ${JSON.stringify(format)}`) }];
    }
    case "minimum":
      return [{ name, message: messages.minimum(num(p.limit), num(data)) }];
    case "exclusiveMinimum":
      return [{ name, message: messages.exclusiveMinimum(num(p.limit), num(data)) }];
    case "maximum":
      return [{ name, message: messages.maximum(num(p.limit), num(data)) }];
    case "exclusiveMaximum":
      return [{ name, message: messages.exclusiveMaximum(num(p.limit), num(data)) }];
    case "multipleOf":
      return [{ name, message: messages.multipleOf(num(p.multipleOf), num(data)) }];
    case "maxItems":
      return [{ name, message: messages.maxItems(num(p.limit), Array.isArray(data) ? data.length : 0) }];
    case "minItems":
      return [{ name, message: messages.minItems(num(p.limit), Array.isArray(data) ? data.length : 0) }];
    case "uniqueItems":
      return [{ name, message: messages.uniqueItems(num(p.j), num(p.i)) }];
    case "type": {
      const allowed = ajvTypeNames(p.type);
      return [{ name, message: messages.wrongType(allowed, jsonTypeOf(data)) }];
    }
    case "const":
      return [{ name, message: messages.constant(p.allowedValue) }];
    case "enum":
      return [
        {
          name,
          message: messages.generic(
            `value must be one of ${((p.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(", ")}`,
          ),
        },
      ];
    case "additionalProperties":
      return [{ name, message: messages.generic(`additionalProperties ${JSON.stringify(p.additionalProperty)} not allowed`) }];
    default:
      return [{ name, message: messages.generic(e.message ?? "invalid value") }];
  }
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
