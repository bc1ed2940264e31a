import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { ConfigError, type IdentitySchemaSource } from "../config/load";
import { isPlainObject } from "../config/unknown-keys";
import { type FieldError, fieldErrorsOf } from "./jsonschema/field-errors";
import { validationErrorText } from "./jsonschema/validation-error";
import { compileJsonSchema, type JsonSchemaValidator } from "./jsonschema/validator";

export type { FieldError } from "./jsonschema/field-errors";

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

export interface IdentitySchema {
  id: string;
  /** The raw schema document (served on /schemas/{id}). */
  document: Record<string, unknown>;
  paths: TraitPath[];
  /** Validates `{traits}` as ory/jsonschema does in Kratos (see jsonschema/validator.ts). */
  validator: JsonSchemaValidator;
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
   * The admin API's reason for invalid traits — ory/jsonschema's
   * ValidationError.Error(), as identity/manager.go ValidateIdentity puts it
   * in a 400 — or undefined when they are valid.
   */
  validationErrorText(schema: IdentitySchema, traits: unknown): string | undefined {
    const error = schema.validator.validate({ traits });
    return error ? validationErrorText(error) : undefined;
  }

  /** The flows' node messages for invalid traits (Kratos' container ParseError), empty when valid. */
  validateTraits(schema: IdentitySchema, traits: unknown): FieldError[] {
    const error = schema.validator.validate({ traits });
    return error ? fieldErrorsOf(error) : [];
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
  ajv.addFormat("no-validate", () => true);
  // ajv checks the document against its meta-schema at start-up; traits are
  // validated by the ory/jsonschema reproduction, whose errors Kratos' answers are built from.
  let validator: JsonSchemaValidator;
  try {
    ajv.compile(document);
    validator = compileJsonSchema(document);
  } catch (error) {
    throw new ConfigError(`identity schema "${source.id}" is not a valid JSON schema: ${(error as Error).message}`);
  }
  const traits = isPlainObject(document.properties) ? document.properties.traits : undefined;
  if (!isPlainObject(traits)) throw new ConfigError(`identity schema "${source.id}" must declare properties.traits`);
  return { id: source.id, document, paths: collectPaths(traits, []), validator };
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
