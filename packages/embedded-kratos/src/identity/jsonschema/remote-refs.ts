import { ORY_HTTP_CLIENT, resilientFetch } from "@olympus/server-kit/http";
import { RemoteDocumentNeeded } from "./ref-loader";
import { compileJsonSchema, type JsonSchemaValidator } from "./validator";

/**
 * http(s) `$ref` documents, fetched as ory/jsonschema's httploader.Load
 * does: a GET through Kratos' resilient client (two retries, 30 s per
 * attempt), and an answer other than 200 is an error. Kratos compiles the
 * identity schema anew each time it validates (schema/validator.go
 * Validate: a new compiler, no cache), so these documents are fetched at
 * start-up (config.go validateIdentitySchemas, whose client refuses private
 * targets under `clients.http.disallow_private_ip_ranges` with no exception
 * URLs) and again at every validation (registry_default.go HTTPClient,
 * which lets `clients.http.private_ip_exception_urls` through).
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

// A schema document is a few kilobytes; this bounds what a hostile or broken server can make the process hold.
const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/**
 * How `$ref` documents are fetched: whether private ranges are refused
 * (`clients.http.disallow_private_ip_ranges`) and which URLs may reach them
 * anyway (`clients.http.private_ip_exception_urls`, at validation only).
 */
export interface RefFetchPolicy {
  disallowPrivateIpRanges: boolean;
  privateIpExceptionUrls?: readonly string[];
}

export async function fetchSchemaDocument(url: string, policy: RefFetchPolicy = { disallowPrivateIpRanges: false }): Promise<string> {
  const options = {
    ...ORY_HTTP_CLIENT,
    disallowPrivateIpRanges: policy.disallowPrivateIpRanges,
    privateIpExceptionUrls: policy.privateIpExceptionUrls ?? [],
  };
  const response = await resilientFetch(url, { method: "GET", headers: new Headers() }, options);
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`${url} returned status code ${response.status}`);
  }
  return readCapped(url, response.body);
}

/** The body as UTF-8 text, refused (and the rest left unread) once it passes MAX_DOCUMENT_BYTES. */
async function readCapped(url: string, body: ReadableStream<Uint8Array>): Promise<string> {
  // A reader, not for await: apps that compile this with the DOM lib see no async iterator on ReadableStream.
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_DOCUMENT_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Compiles the schema, first fetching every http(s) document its `$ref`s
 * lead to (and, with CallerLoadedDocuments, every `file://` one too);
 * resolves to the validator and the documents.
 */
export async function compileFetchingRefs(
  document: unknown,
  url: string,
  fetchText: (url: string) => Promise<string> = fetchSchemaDocument,
  remote: Map<string, string> = new Map(),
): Promise<{ validator: JsonSchemaValidator; remote: Map<string, string> }> {
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
