import { readFile } from "node:fs/promises";
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
import { RefetchedSchemas, SchemaCompileError } from "./refetched-schemas";
import { FileStamps, readSchemaFile, schemaDecodeError, schemaListError } from "./schema-file-read";
import { schemaKeysInOrder } from "./schema-key-order";
import { listSchemaPaths, type SchemaPath, type SchemaPathListing } from "./schema-paths";
import { type KratosTraitExtension, listTraitPaths, type TraitPath, type TraitPathsFailure, traitPathsFailureText } from "./trait-paths";

export type { FieldError } from "./jsonschema/field-errors";
export type { KratosTraitExtension, TraitPath } from "./trait-paths";
export type { SchemaPath } from "./schema-paths";

/** Whether the trait is an identifier of the given credential type (`credentials.<type>.identifier: true`). */
export function isCredentialIdentifier(extension: KratosTraitExtension, type: string): boolean {
  return Object.entries(extension.credentials ?? {}).some(
    ([t, c]) => t === type && c !== undefined && "identifier" in c && c.identifier === true,
  );
}

export interface IdentitySchema {
  id: string;
  /** The raw schema document (served on /schemas/{id}). */
  document: Record<string, unknown>;
  paths: TraitPath[];
  /** Validates `{traits}` as ory/jsonschema does in Kratos (see jsonschema/validator.ts). */
  validator: JsonSchemaValidator;
  /**
   * Go's text for why the file, as the request's read found it, cannot be
   * listed (schema-file-read.ts); `document` and `paths` are then the last
   * good ones, which the uses that cache (node order) keep using.
   */
  readFailure?: string;
  /** Why `paths` are not Kratos' ListPaths answer for this document (trait-paths.ts): the uses fail as Kratos' do. */
  pathsFailure?: TraitPathsFailure;
  /** jsonschemax.ListPaths' answer for the whole document (schema-paths.ts): the forms and the identifier label. */
  listed: SchemaPathListing;
}

/**
 * The trait paths a form or identifier label is built from
 * (NodesFromJSONSchema, GetIdentifierLabelFromSchema: jsonschemax.ListPaths
 * at each use); throws ListPaths' error, as a plain Go error, when the file
 * could not be read or the schema is circular.
 */
export function formPaths(schema: Pick<IdentitySchema, "paths" | "readFailure" | "pathsFailure">): TraitPath[] {
  if (schema.readFailure !== undefined) throw schemaListError(schema.readFailure);
  if (schema.pathsFailure !== undefined) throw schemaListError(traitPathsFailureText(schema.pathsFailure));
  return schema.paths;
}

/**
 * The paths ui/container NodesFromJSONSchema and GetIdentifierLabelFromSchema
 * read (jsonschemax.ListPaths at each use); throws ListPaths' error, as a
 * plain Go error, when the file could not be read or the schema is circular.
 */
export function listedPaths(schema: Pick<IdentitySchema, "listed" | "readFailure">): SchemaPath[] {
  if (schema.readFailure !== undefined) throw schemaListError(schema.readFailure);
  if (schema.listed.failure !== undefined) throw schemaListError(traitPathsFailureText(schema.listed.failure));
  return schema.listed.paths;
}

/** The trait paths a submitted body is decoded with (decoderx decodeForm/decodeJSONForm); throws decoderx's error when the file could not be read. */
export function decodingPaths(schema: Pick<IdentitySchema, "paths" | "readFailure" | "pathsFailure">): TraitPath[] {
  if (schema.readFailure !== undefined) throw schemaDecodeError(schema.readFailure);
  // ListPathsWithRecursion follows a circular schema; only this server's expansion cap stops the decoding.
  if (schema.pathsFailure?.kind === "expansion") throw schemaDecodeError(traitPathsFailureText(schema.pathsFailure));
  return schema.paths;
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
  /** Where each schema's file is, to read it again (requests, validations, /schemas). */
  private readonly sources = new Map<string, IdentitySchemaSource>();
  /** The schema files read again, and compiled again when they changed, at each validation. */
  private readonly refetched = new RefetchedSchemas();
  /** The file text each entry of `schemas` was last built from (by a request's read or a validation). */
  private readonly builtFrom = new Map<string, string>();
  /** The stat of each file's last read by `refresh`, to skip reading a file that did not change. */
  private readonly stamps = new FileStamps();
  /** The keys node order follows, by schema URL: the first read's, kept (see keysInOrder). */
  private readonly keysByUrl = new Map<string, string[]>();
  readonly defaultId: string;

  /** `remote`: the http(s) documents the schemas' `$ref`s lead to (see load). */
  constructor(
    sources: IdentitySchemaSource[],
    defaultId: string,
    private readonly publicBaseUrl: string,
    private readonly remote: RemoteDocuments = new Map(),
  ) {
    this.defaultId = defaultId;
    for (const source of sources) {
      const { schema, text } = compile(source, remote);
      this.schemas.set(source.id, schema);
      this.builtFrom.set(source.id, text);
      this.sources.set(source.id, source);
    }
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
    // validateIdentitySchemas' client knows no private_ip_exception_urls; the one validations use does.
    const startUpPolicy = { disallowPrivateIpRanges: refPolicy.disallowPrivateIpRanges };
    for (const source of sources) {
      try {
        const document = readIdentitySchema(source).withNumberTexts;
        const fetched = await compileFetchingRefs(document, schemaFileUrl(source), (url) => fetchSchemaDocument(url, startUpPolicy));
        for (const [url, text] of fetched.remote) remote.set(url, text);
      } catch (error) {
        if (error instanceof RefFetchError)
          throw new ConfigError(`identity schema "${source.id}" is not a valid JSON schema: ${error.message}`);
        // Any other fault is the constructor's to report.
      }
    }
    const registry = new SchemaRegistry(sources, defaultId, publicBaseUrl, remote);
    registry.refetched.usePolicy(refPolicy);
    for (const source of sources) registry.refetched.add(source);
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

  /**
   * The keys a flow's nodes are ordered by (the flows' SortNodes:
   * node.SortBySchema with the schema's URL; see schema-key-order.ts).
   * schema/schema.go GetKeysInOrder keeps the keys of the first read of each
   * URL for the life of the process, so a changed file reaches the nodes, not their order.
   */
  keysInOrder(id: string): string[] {
    const source = this.sources.get(id);
    const entry = this.schemas.get(id);
    if (!source || !entry) return [];
    const kept = this.keysByUrl.get(source.url);
    if (kept) return kept;
    const keys = schemaKeysInOrder(entry.document);
    this.keysByUrl.set(source.url, keys);
    return keys;
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
   * SchemaLoadError (500) when the schema file cannot be read or parsed, and
   * SchemaCompileError (500) when a `$ref` document cannot be loaded or the schema not compiled.
   */
  async validationErrorText(schema: IdentitySchema, traits: unknown): Promise<string | undefined> {
    const error = (await this.validatorNow(schema)).validate({ traits });
    return error ? validationErrorText(error) : undefined;
  }

  /** The flows' node messages for invalid traits (Kratos' container ParseError), empty when valid; rejects as validationErrorText. */
  async validateTraits(schema: IdentitySchema, traits: unknown): Promise<FieldError[]> {
    const error = (await this.validatorNow(schema)).validate({ traits });
    return error ? fieldErrorsOf(error) : [];
  }

  /** The schema file's text as it is now (schema/handler.go ReadSchema); rejects with the file system's error. */
  async documentText(schema: IdentitySchema): Promise<string> {
    const source = this.sources.get(schema.id);
    if (source === undefined) throw new Error(`no file for identity schema ${JSON.stringify(schema.id)}`);
    return readFile(source.file, "utf8");
  }

  /**
   * Reads every schema file as it is now, before a self-service request
   * uses them: Kratos lists the schema's paths at each use (forms, identifier
   * labels, body decoding: schema-file-read.ts). An entry is rebuilt only
   * when its file's text changed; a file that cannot be read or decoded
   * marks the entry (`readFailure`), so the uses that read it fail as
   * Kratos' do, and the requests that do not use it go on.
   */
  async refresh(): Promise<void> {
    await Promise.all([...this.sources.values()].map((source) => this.refreshOne(source)));
  }

  private async refreshOne(source: IdentitySchemaSource): Promise<void> {
    // Unchanged since the last read: the entry (or its failure) stands.
    if (await this.stamps.unchanged(source.file)) return;
    await this.stamps.beforeRead(source.file);
    const read = await readSchemaFile(source);
    const entry = this.schemas.get(source.id);
    if (!entry) return;
    if (!read.ok) {
      this.schemas.set(source.id, { ...entry, readFailure: read.goText });
      return;
    }
    if (this.builtFrom.get(source.id) === read.text) {
      if (entry.readFailure !== undefined) this.schemas.set(source.id, { ...entry, readFailure: undefined });
      return;
    }
    try {
      this.rebuild(entry, read.text, read.document, entry.validator, "compile-for-paths");
    } catch (error) {
      // A schema that decodes but does not compile fails ListPaths too (in this server's words: see the README).
      this.schemas.set(source.id, { ...entry, readFailure: (error as Error).message });
    }
  }

  /**
   * Replaces the entry with one built from `text`; throws when the document
   * is no schema. The paths come from `validator`'s compile of the same
   * text, or — `compile-for-paths`, when the validation keeps its own — from
   * a compile of their own, as ListPaths compiles the file at each use.
   */
  private rebuild(
    entry: IdentitySchema,
    text: string,
    parsed: unknown,
    validator: JsonSchemaValidator,
    listing?: "compile-for-paths",
  ): void {
    if (!isPlainObject(parsed)) throw new Error("the schema is no JSON object");
    checkDraft(parsed);
    const source = this.sources.get(entry.id);
    const listed = listing && source ? compileJsonSchema(parsed, schemaFileUrl(source), this.remote) : validator;
    const { paths, failure } = listTraitPaths(listed.root);
    this.schemas.set(entry.id, {
      id: entry.id,
      document: parsed,
      paths,
      pathsFailure: failure,
      listed: listSchemaPaths(listed.root),
      validator,
    });
    this.builtFrom.set(entry.id, text);
  }

  /**
   * The validator for the schema file as it is now (refetched-schemas.ts).
   * When the file changed, the entry `get` answers is rebuilt from it too, so
   * the extension keys, forms and answers that follow use what was validated.
   */
  private async validatorNow(schema: IdentitySchema): Promise<JsonSchemaValidator> {
    const now = await this.refetched.current(schema.id);
    const entry = this.schemas.get(schema.id);
    if (!now || !entry) return schema.validator;
    if (this.builtFrom.get(schema.id) !== now.text) {
      try {
        this.rebuild(entry, now.text, JSON.parse(now.text), now.validator);
      } catch (error) {
        throw new SchemaCompileError(error);
      }
    } else if (entry.readFailure !== undefined || entry.validator !== now.validator) {
      this.schemas.set(schema.id, { ...entry, readFailure: undefined, validator: now.validator });
    }
    return now.validator;
  }
}

/** Relative `$ref`s resolve against the schema's file:// URL, as against Kratos' schema URL. */
const schemaFileUrl = (source: IdentitySchemaSource) => `file://${source.file}`;

/**
 * ajv checks the document against the meta-schema of its `$schema` draft, as
 * ory/jsonschema's compile does (Kratos' identity meta-schema check runs
 * before, in load); traits are validated by the ory/jsonschema reproduction,
 * whose errors Kratos' answers are built from. Throws when the check fails.
 */
function checkDraft(document: Record<string, unknown>): void {
  const draft2020 = typeof document.$schema === "string" && document.$schema.includes("2020-12");
  const options = { allErrors: true, strict: false, code: { regExp: goRegExp } };
  const ajv = draft2020 ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  // strict: false lets the `ory.sh/kratos` extension key through as an annotation.
  // Every format name ory/jsonschema knows checks as it does (a schema's `pattern` must pass Go's `regex`).
  for (const [name, check] of Object.entries(FORMATS)) ajv.addFormat(name, { validate: (value: string) => check(value) });
  // `$ref`s are the compile's to follow.
  if (!ajv.validateSchema(document)) throw new Error(`schema is invalid: ${ajv.errorsText(ajv.errors)}`);
}

function compile(source: IdentitySchemaSource, remote: RemoteDocuments): { schema: IdentitySchema; text: string } {
  const { text, document, withNumberTexts } = readIdentitySchema(source);
  if (!isPlainObject(document)) throw new ConfigError(`identity schema "${source.id}" must be a JSON object`);
  let validator: JsonSchemaValidator;
  try {
    checkDraft(document);
    validator = compileJsonSchema(withNumberTexts, schemaFileUrl(source), remote);
  } catch (error) {
    throw new ConfigError(`identity schema "${source.id}" is not a valid JSON schema: ${(error as Error).message}`);
  }
  const traits = isPlainObject(document.properties) ? document.properties.traits : undefined;
  if (!isPlainObject(traits)) throw new ConfigError(`identity schema "${source.id}" must declare properties.traits`);
  const { paths, failure } = listTraitPaths(validator.root);
  return { schema: { id: source.id, document, paths, pathsFailure: failure, listed: listSchemaPaths(validator.root), validator }, text };
}
