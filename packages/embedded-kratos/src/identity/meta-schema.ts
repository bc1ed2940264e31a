import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ConfigError, type IdentitySchemaSource } from "../config/load";
import { formatValidationErrorForCli } from "./cli-validation-report";
import { isRawNumber, parseJsonKeepingNumbers } from "./jsonschema/json-number";
import { type ValidationError, validationErrorText } from "./jsonschema/validation-error";
import { compileJsonSchema, type JsonSchemaValidator } from "./jsonschema/validator";

/**
 * The start-up check of identity schemas: Kratos' driver/config/config.go
 * validateIdentitySchemas validates each configured schema document, in
 * order, against its identity meta-schema (embedx/identity_meta.schema.json,
 * which is draft-07's meta-schema plus `properties.traits.properties` with at
 * least one trait, each an object whose `ory.sh/kratos` blocks follow
 * embedx/identity_extension.schema.json, and a `verification` trait's
 * `format` one of email, tel, date, time, date-time, no-validate). The
 * first failure stops `kratos serve`: config.New returns the ory/jsonschema
 * ValidationError after printing jsonschemax.FormatValidationErrorForCLI's
 * report of it to stderr. The meta-schemas are the JSON files in
 * meta-schemas/ (draft-07's as ory/jsonschema draft7.go holds it).
 */

const META_SCHEMAS = new URL("./meta-schemas/", import.meta.url);
const readMetaSchema = (name: string) => readFileSync(fileURLToPath(new URL(name, META_SCHEMAS)), "utf8");

const DRAFT_07_URL = "http://json-schema.org/draft-07/schema";
const IDENTITY_META_URL = "ory://identity-meta";

/**
 * Kratos adds its meta-schemas to the compiler under `ory://` URLs
 * (embedx.AddSchemaResources). The validator here is handed other
 * documents only as fetched http(s) texts, so the `ory://` documents are
 * given under stand-in http URLs, and the `$ref` messages name them again
 * as Kratos does (`doesn't validate with "ory://identity-extension#"`).
 */
const ORY_SCHEME = "ory://";
const STAND_IN = "http://ory-resources.invalid/";

function withStandInUrls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withStandInUrls);
  if (typeof value !== "object" || value === null || isRawNumber(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      (key === "$id" || key === "$ref") && typeof item === "string" && item.startsWith(ORY_SCHEME)
        ? STAND_IN + item.slice(ORY_SCHEME.length)
        : withStandInUrls(item),
    ]),
  );
}

function withOryUrls(error: ValidationError): ValidationError {
  error.message = error.message.replaceAll(`"${STAND_IN}`, `"${ORY_SCHEME}`);
  for (const cause of error.causes) withOryUrls(cause);
  return error;
}

let metaValidator: JsonSchemaValidator | undefined;

/** config.go getIdentitySchemaValidator: compiled once, on first use. */
function identityMetaValidator(): JsonSchemaValidator {
  if (!metaValidator) {
    const loadable = (name: string) => JSON.stringify(withStandInUrls(parseJsonKeepingNumbers(readMetaSchema(name))));
    const resources = new Map([
      [DRAFT_07_URL, readMetaSchema("draft-07.schema.json")],
      [`${STAND_IN}identity-extension`, loadable("identity_extension.schema.json")],
    ]);
    const meta = withStandInUrls(parseJsonKeepingNumbers(readMetaSchema("identity_meta.schema.json")));
    metaValidator = compileJsonSchema(meta, STAND_IN + IDENTITY_META_URL.slice(ORY_SCHEME.length), resources);
  }
  return metaValidator;
}

/** An identity schema document as read from its file: plain values, and with each number's text (json.Number). */
export interface IdentitySchemaDocument {
  /** The file's text, as read. */
  text: string;
  document: unknown;
  withNumberTexts: unknown;
}

/** Reads and parses a configured identity schema; a file that cannot be read or parsed stops start-up. */
export function readIdentitySchema(source: IdentitySchemaSource): IdentitySchemaDocument {
  try {
    const text = readFileSync(source.file, "utf8");
    // ory/jsonschema reads the schema's numbers as json.Number (their text).
    return { text, document: JSON.parse(text), withNumberTexts: parseJsonKeepingNumbers(text) };
  } catch (error) {
    throw new ConfigError(`identity schema "${source.id}" (${source.url} → ${source.file}) cannot be loaded: ${(error as Error).message}`);
  }
}

/** An identity schema Kratos' identity meta-schema refuses; `kratos serve` does not start. */
export class IdentityMetaSchemaError extends ConfigError {
  /** What Kratos prints to stderr first (formatJsonErrors: an empty line, then the CLI report). */
  readonly report: string;
  /** The error config.New returns: ory/jsonschema's ValidationError.Error() (`I[#] S[#] …`). */
  readonly reason: string;

  constructor(source: IdentitySchemaSource, document: unknown, error: ValidationError) {
    const report = `\n${formatValidationErrorForCli(document, error)}`;
    const reason = validationErrorText(error);
    super(`identity schema "${source.id}" (${source.url}) does not pass Kratos' identity meta-schema:\n${report}${reason}`);
    this.name = "IdentityMetaSchemaError";
    this.report = report;
    this.reason = reason;
  }
}

/** The meta-schema's verdict on one schema document: undefined when it passes. */
export function identityMetaSchemaError(schema: IdentitySchemaDocument): ValidationError | undefined {
  const error = identityMetaValidator().validate(schema.withNumberTexts);
  return error && withOryUrls(error);
}

/** validateIdentitySchemas reads at most 1 MiB of a schema (io.LimitReader) before decoding it. */
const MAX_SCHEMA_BYTES = 1024 * 1024;

/** validateIdentitySchemas: throws for the first schema that cannot be read or fails the meta-schema. */
export function checkIdentitySchemas(sources: readonly IdentitySchemaSource[]): void {
  for (const source of sources) {
    const schema = readIdentitySchema(source);
    // The cut document ends inside a value, so Go's json decoder stops with io.ErrUnexpectedEOF.
    if (statSync(source.file).size > MAX_SCHEMA_BYTES)
      throw new ConfigError(`identity schema "${source.id}" (${source.url}) cannot be loaded: unexpected EOF`);
    const error = identityMetaSchemaError(schema);
    if (error) throw new IdentityMetaSchemaError(source, schema.document, error);
  }
}

/**
 * The check again on a changed config revision, as Kratos' config watcher
 * runs validateIdentitySchemas after each reload: a failure is only logged
 * (with Kratos' message), the revision stays applied. Here the identity
 * schemas are read at start-up only, so the running ones are unchanged.
 */
export function logInvalidIdentitySchemas(sources: readonly IdentitySchemaSource[], log: (line: string) => void): void {
  try {
    checkIdentitySchemas(sources);
  } catch (error) {
    const detail = error instanceof IdentityMetaSchemaError ? `${error.report}${error.reason}` : (error as Error).message;
    log(
      `embedded-kratos: The changed identity schema configuration is invalid and could not be loaded. Rolling back to the last working configuration revision. Please address the validation errors before restarting the process. ${detail}`,
    );
  }
}
