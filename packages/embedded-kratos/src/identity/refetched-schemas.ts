import { KratosError } from "../http/errors";
import { compileFetchingRefs, fetchSchemaDocument, type RefFetchPolicy } from "./jsonschema/remote-refs";
import type { JsonSchemaValidator } from "./jsonschema/validator";

/**
 * Kratos compiles the identity schema each time it validates traits
 * (schema/validator.go Validate: a new ory/jsonschema compiler, no cache),
 * so the http(s) documents its `$ref`s lead to are fetched again at every
 * validation, with the client the request carries (x/httploadermiddleware.go:
 * registry_default.go HTTPClient). A document that changed shows at once;
 * one that cannot be fetched, or no longer compiles, fails that validation
 * with herodot's ErrMisconfiguration. Schemas that need no http(s) document
 * keep the compile made at start-up.
 */

/** herodot.ErrMisconfiguration with the reason schema/validator.go Validate gives when the schema does not compile. */
export class SchemaCompileError extends KratosError {
  constructor(cause: unknown) {
    super(500, {
      id: "invalid_configuration",
      message: "Invalid configuration",
      reason: "Unable to parse validate JSON object against JSON schema.",
    });
    this.name = "SchemaCompileError";
    this.cause = cause;
  }
}

/** The schemas compiled again, fetching their http(s) documents, at each validation. */
export class RefetchedSchemas {
  private readonly documents = new Map<string, { document: unknown; url: string }>();
  private policy: RefFetchPolicy = { disallowPrivateIpRanges: false };

  /** The validation-time client: `clients.http.disallow_private_ip_ranges` with `private_ip_exception_urls`. */
  usePolicy(policy: RefFetchPolicy): void {
    this.policy = policy;
  }

  /** The schema `id` (its document, with number texts, at `url`) needs http(s) documents. */
  add(id: string, document: unknown, url: string): void {
    this.documents.set(id, { document, url });
  }

  /** The validator to use now: a fresh compile for a schema with http(s) documents, else the start-up one. */
  async validatorFor(schema: { id: string; validator: JsonSchemaValidator }): Promise<JsonSchemaValidator> {
    const entry = this.documents.get(schema.id);
    if (!entry) return schema.validator;
    const policy = this.policy;
    try {
      return (await compileFetchingRefs(entry.document, entry.url, (url) => fetchSchemaDocument(url, policy))).validator;
    } catch (error) {
      throw new SchemaCompileError(error);
    }
  }
}
