import { resilientFetch } from "../../http/resilient-client";
import { RemoteDocumentNeeded } from "./ref-loader";
import { compileJsonSchema, type JsonSchemaValidator } from "./validator";

/**
 * http(s) `$ref` documents, fetched as ory/jsonschema's httploader.Load
 * does: a GET through Kratos' resilient client (driver/registry_default.go
 * HTTPClient: two retries, 30 s per attempt), and an answer other than 200
 * is an error. Kratos fetches them each time it compiles the schema, i.e.
 * on every validation; the compile here is synchronous, so they are fetched
 * once, before it.
 */

/** An http(s) document could not be fetched. */
export class RefFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefFetchError";
  }
}

// A chain of documents this long is a loop of URLs that never repeat.
const MAX_DOCUMENTS = 64;

export async function fetchSchemaDocument(url: string): Promise<string> {
  const response = await resilientFetch(url, { method: "GET", headers: new Headers() });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`${url} returned status code ${response.status}`);
  }
  return response.text();
}

/** Compiles the schema, first fetching every http(s) document its `$ref`s lead to; resolves to the validator and the documents. */
export async function compileFetchingRefs(
  document: unknown,
  url: string,
  fetchText: (url: string) => Promise<string> = fetchSchemaDocument,
): Promise<{ validator: JsonSchemaValidator; remote: Map<string, string> }> {
  const remote = new Map<string, string>();
  for (;;) {
    try {
      return { validator: compileJsonSchema(document, url, remote), remote };
    } catch (error) {
      if (!(error instanceof RemoteDocumentNeeded)) throw error;
      if (remote.size >= MAX_DOCUMENTS) throw new RefFetchError(`more than ${MAX_DOCUMENTS} $ref documents to fetch`);
      try {
        remote.set(error.url, await fetchText(error.url));
      } catch (cause) {
        throw new RefFetchError(`cannot load $ref document ${JSON.stringify(error.url)}: ${(cause as Error).message}`);
      }
    }
  }
}

export async function compileJsonSchemaFetchingRefs(document: unknown, url: string): Promise<JsonSchemaValidator> {
  return (await compileFetchingRefs(document, url)).validator;
}
