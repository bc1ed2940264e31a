import { Ajv } from "ajv";
import type { RegExpEngine } from "ajv/dist/types/index.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { ConfigError, type IdentitySchemaSource } from "../config/load";
import { isPlainObject } from "../config/unknown-keys";
import { type FieldError, fieldErrorsOf } from "./jsonschema/field-errors";
import { FORMATS } from "./jsonschema/formats";
import { compileGoRegexp } from "./jsonschema/go-syntax-formats";
import type { RemoteDocuments } from "./jsonschema/ref-loader";
import { compileFetchingRefs, fetchSchemaDocument, RefFetchError, type RefFetchPolicy } from "./jsonschema/remote-refs";
import { validationErrorText } from "./jsonschema/validation-error";
import { compileJsonSchema, type JsonSchemaValidator } from "./jsonschema/validator";
import { checkIdentitySchemas, readIdentitySchema } from "./meta-schema";
import { RefetchedSchemas } from "./refetched-schemas";

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

/**
 * ajv's patterns compiled as Go's regexp: Kratos checks an identity schema
 * against draft-07's meta-schema with ory/jsonschema (whose `regex` format
 * is Go's regexp.Compile) and compiles `pattern` with regexp.MustCompile.
 */
const goRegExp: RegExpEngine = Object.assign((pattern: string) => compileGoRegexp(pattern), { code: "re2js" });

const base64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** Loads, compiles and serves the configured identity schemas. */
export class SchemaRegistry {
  private readonly schemas = new Map<string, IdentitySchema>();
  /** Schemas whose `$ref`s lead to http(s) documents: compiled again, fetching them, at each validation. */
  private readonly refetched = new RefetchedSchemas();
  readonly defaultId: string;

  /** `remote`: the http(s) documents the schemas' `$ref`s lead to (see load). */
  constructor(
    sources: IdentitySchemaSource[],
    defaultId: string,
    private readonly publicBaseUrl: string,
    remote: RemoteDocuments = new Map(),
  ) {
    this.defaultId = defaultId;
    for (const source of sources) this.schemas.set(source.id, compile(source, remote));
  }

  /**
   * Checks the schemas against Kratos' identity meta-schema (meta-schema.ts,
   * validateIdentitySchemas: the first failure stops start-up), fetches the
   * http(s) documents their `$ref`s lead to (remote-refs.ts), then compiles them.
   */
  static async load(
    sources: IdentitySchemaSource[],
    defaultId: string,
    publicBaseUrl: string,
    refPolicy: RefFetchPolicy = { disallowPrivateIpRanges: false },
  ): Promise<SchemaRegistry> {
    checkIdentitySchemas(sources);
    const remote = new Map<string, string>();
    const refetched: [IdentitySchemaSource, unknown][] = [];
    // validateIdentitySchemas' client knows no private_ip_exception_urls; the one validations use does.
    const startUpPolicy = { disallowPrivateIpRanges: refPolicy.disallowPrivateIpRanges };
    for (const source of sources) {
      try {
        const document = readIdentitySchema(source).withNumberTexts;
        const fetched = await compileFetchingRefs(document, schemaFileUrl(source), (url) => fetchSchemaDocument(url, startUpPolicy));
        for (const [url, text] of fetched.remote) remote.set(url, text);
        if (fetched.remote.size > 0) refetched.push([source, document]);
      } catch (error) {
        if (error instanceof RefFetchError)
          throw new ConfigError(`identity schema "${source.id}" is not a valid JSON schema: ${error.message}`);
        // Any other fault is the constructor's to report.
      }
    }
    const registry = new SchemaRegistry(sources, defaultId, publicBaseUrl, remote);
    registry.refetched.usePolicy(refPolicy);
    for (const [source, document] of refetched) registry.refetched.add(source.id, document, schemaFileUrl(source));
    return registry;
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
   * in a 400 — or undefined when they are valid. Rejects with
   * SchemaCompileError (500) when a `$ref` document cannot be fetched or compiled.
   */
  async validationErrorText(schema: IdentitySchema, traits: unknown): Promise<string | undefined> {
    const error = (await this.refetched.validatorFor(schema)).validate({ traits });
    return error ? validationErrorText(error) : undefined;
  }

  /** The flows' node messages for invalid traits (Kratos' container ParseError), empty when valid; rejects as validationErrorText. */
  async validateTraits(schema: IdentitySchema, traits: unknown): Promise<FieldError[]> {
    const error = (await this.refetched.validatorFor(schema)).validate({ traits });
    return error ? fieldErrorsOf(error) : [];
  }
}

/** Relative `$ref`s resolve against the schema's file:// URL, as against Kratos' schema URL. */
const schemaFileUrl = (source: IdentitySchemaSource) => `file://${source.file}`;

function compile(source: IdentitySchemaSource, remote: RemoteDocuments): IdentitySchema {
  const { document, withNumberTexts } = readIdentitySchema(source);
  if (!isPlainObject(document)) throw new ConfigError(`identity schema "${source.id}" must be a JSON object`);
  const draft2020 = typeof document.$schema === "string" && document.$schema.includes("2020-12");
  const options = { allErrors: true, strict: false, code: { regExp: goRegExp } };
  const ajv = draft2020 ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  // strict: false lets the `ory.sh/kratos` extension key through as an annotation.
  // Every format name ory/jsonschema knows checks as it does (a schema's `pattern` must pass Go's `regex`).
  for (const [name, check] of Object.entries(FORMATS)) ajv.addFormat(name, { validate: (value: string) => check(value) });
  // ajv checks the document against the meta-schema of its `$schema` draft, as ory/jsonschema's
  // compile does (Kratos' identity meta-schema check runs before, in load); traits are
  // validated by the ory/jsonschema reproduction, whose errors Kratos' answers are built from.
  let validator: JsonSchemaValidator;
  try {
    // `$ref`s are the compile's to follow.
    if (!ajv.validateSchema(document)) throw new Error(`schema is invalid: ${ajv.errorsText(ajv.errors)}`);
    validator = compileJsonSchema(withNumberTexts, schemaFileUrl(source), remote);
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
      required: required.includes(key),
      extension: isPlainObject(ext) ? ext : {},
    });
  }
  return out;
}
