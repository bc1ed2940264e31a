import { readFile } from "node:fs/promises";
import type { IdentitySchemaSource } from "../config/load";
import { KratosError } from "../http/errors";
import { parseJsonKeepingNumbers } from "./jsonschema/json-number";
import { CallerLoadedDocuments } from "./jsonschema/ref-loader";
import { compileFetchingRefs, fetchSchemaDocument, type RefFetchPolicy } from "./jsonschema/remote-refs";
import type { JsonSchemaValidator } from "./jsonschema/validator";

/**
 * Kratos compiles the identity schema each time it validates traits
 * (schema/validator.go Validate: jsonschema.LoadURL of the schema's URL,
 * then a new ory/jsonschema compiler, no cache), so the schema file and
 * every document its `$ref`s lead to are read again at every validation:
 * `file://` ones with fileloader.Load, http(s) ones with the client the
 * request carries (x/httploadermiddleware.go: registry_default.go
 * HTTPClient). A file or document that changed shows at once; a schema file
 * that cannot be read or parsed fails that validation with
 * herodot.ErrMisconfiguration "Unable to load or parse the JSON schema.",
 * a `$ref` document that cannot be loaded, or a schema that no longer
 * compiles, with "Unable to parse validate JSON object against JSON schema."
 *
 * The files are read each time; the compile is kept while the texts read
 * are those it was made from and no http(s) document is involved (those are
 * fetched, and the schema compiled, at every validation).
 */

/** herodot.ErrMisconfiguration with `reason`, as schema/validator.go Validate answers. */
const misconfiguration = (reason: string) => ({ id: "invalid_configuration", message: "Invalid configuration", reason });

/** Validate's answer when the schema, now, does not compile (or a `$ref` document cannot be loaded). */
export class SchemaCompileError extends KratosError {
  constructor(cause: unknown) {
    super(500, misconfiguration("Unable to parse validate JSON object against JSON schema."));
    this.name = "SchemaCompileError";
    this.cause = cause;
  }
}

/** Validate's answer when jsonschema.LoadURL cannot read or parse the schema file itself. */
export class SchemaLoadError extends KratosError {
  constructor(cause: unknown) {
    super(500, misconfiguration("Unable to load or parse the JSON schema."));
    this.name = "SchemaLoadError";
    this.cause = cause;
  }
}

/** A compile and the texts it was made from. */
interface Compiled {
  text: string;
  /** The `file://` documents the compile read, by URL. */
  files: Map<string, string>;
  /** Whether http(s) documents were fetched: then every validation compiles anew. */
  fetched: boolean;
  validator: JsonSchemaValidator;
}

/** The schema as a validation reads it now: its file's text and the validator for it. */
export interface CurrentSchema {
  text: string;
  validator: JsonSchemaValidator;
}

const FILE_SCHEME = /^file:/i;

/** fileloader.Load: what follows `file://`, as it is written. */
const readFileUrl = (url: string) => readFile(url.slice("file://".length), "utf8");

/** The schema files, read again (and compiled when they changed) at each validation. */
export class RefetchedSchemas {
  private readonly sources = new Map<string, IdentitySchemaSource>();
  private readonly compiled = new Map<string, Compiled>();
  private policy: RefFetchPolicy = { disallowPrivateIpRanges: false };

  /** The validation-time client: `clients.http.disallow_private_ip_ranges` with `private_ip_exception_urls`. */
  usePolicy(policy: RefFetchPolicy): void {
    this.policy = policy;
  }

  add(source: IdentitySchemaSource): void {
    this.sources.set(source.id, source);
  }

  /**
   * Reads the schema `id` as Validate does; rejects with SchemaLoadError or
   * SchemaCompileError (500). Undefined for a schema this does not know.
   */
  async current(id: string): Promise<CurrentSchema | undefined> {
    const source = this.sources.get(id);
    if (!source) return undefined;
    let text: string;
    try {
      text = await readFile(source.file, "utf8");
    } catch (error) {
      throw new SchemaLoadError(error);
    }
    const kept = this.compiled.get(id);
    if (kept && kept.text === text && !kept.fetched && (await sameFiles(kept.files))) return { text, validator: kept.validator };
    let document: unknown;
    try {
      // ory/jsonschema reads the schema's numbers as json.Number (their text).
      document = parseJsonKeepingNumbers(text);
    } catch (error) {
      throw new SchemaLoadError(error);
    }
    const policy = this.policy;
    const load = (url: string) => (FILE_SCHEME.test(url) ? readFileUrl(url) : fetchSchemaDocument(url, policy));
    try {
      const { validator, remote } = await compileFetchingRefs(document, `file://${source.file}`, load, new CallerLoadedDocuments());
      const files = new Map([...remote].filter(([url]) => FILE_SCHEME.test(url)));
      this.compiled.set(id, { text, files, fetched: files.size < remote.size, validator });
      return { text, validator };
    } catch (error) {
      throw new SchemaCompileError(error);
    }
  }
}

/** Whether every file still holds the text the compile read (one that cannot be read has changed). */
async function sameFiles(files: Map<string, string>): Promise<boolean> {
  for (const [url, text] of files) {
    const now = await readFileUrl(url).catch(() => undefined);
    if (now !== text) return false;
  }
  return true;
}
