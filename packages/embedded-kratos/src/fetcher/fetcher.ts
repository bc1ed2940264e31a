import { readFile } from "node:fs/promises";
import path from "node:path";
import { goUrlParse } from "@olympus/server-kit/go-url";
import { ResilientClientError, resilientFetch, type ResilientOptions } from "@olympus/server-kit/http";
import { goStdBase64Decode } from "@olympus/server-kit/text";
import { MOUNTED_CONFIG_DIR } from "../config/load";
import type { FetchCache } from "./cache";
import { goErrnoText } from "./go-errno";

/**
 * ory/x fetcher (fetcher/fetcher.go, the copy Kratos v26.2.0 builds from
 * its `oryx` folder): reads a Jsonnet program, a JWKS or a template from
 * `http://`, `https://`, `file://` or `base64://` — every Kratos caller
 * (session tokenizer, OIDC mappers, web hook and migration hook bodies,
 * courier templates and HTTP bodies) goes through it. Remote sources go
 * through the caller's resilient client (the registry's HTTPClient: retries,
 * timeouts and `clients.http.disallow_private_ip_ranges`).
 */
export interface FetcherOptions {
  /** fetcher.WithClient: the registry's HTTPClient as the caller built it. */
  client: ResilientOptions;
  /** The config file: a relative `file://` path is read from its folder (Kratos: from its working directory). */
  configSource: string;
  /** fetcher.WithCache: remote answers by URL (a nil cache or a negative TTL caches nothing). */
  cache?: { store: FetchCache; ttlMs: number };
  /** fetcher.WithMaxHTTPMaxBytes: the most bytes a remote answer may have. */
  maxBytes?: number;
}

/** A plain Go error of the fetcher: Kratos' error writer answers it as a 500 with the text as `message`. */
export class FetcherError extends Error {
  override name = "FetcherError";

  constructor(
    message: string,
    /** errors.Is(err, fetcher.ErrUnknownScheme). */
    readonly unknownScheme = false,
  ) {
    super(message);
  }
}

/** FetchBytes' switch, in its order (stringsx.SwitchPrefix lists them in the error). */
const REMOTE_PREFIXES = ["http://", "https://"];
const FILE_PREFIX = "file://";
const BASE64_PREFIX = "base64://";

/** Fetcher.FetchBytes: the source's bytes, or a FetcherError with Go's text. */
export async function fetchBytes(source: string, options: FetcherOptions): Promise<Buffer> {
  if (REMOTE_PREFIXES.some((prefix) => source.startsWith(prefix))) return fetchRemote(source, options);
  if (source.startsWith(FILE_PREFIX)) return fetchFile(source.slice(FILE_PREFIX.length), options.configSource);
  if (source.startsWith(BASE64_PREFIX)) {
    const decoded = goStdBase64Decode(source.slice(BASE64_PREFIX.length));
    // errors.Wrapf(err, "base64decode: %s", source) prints the whole source, which can be an inline private key
    // set (a tokenizer's jwks_url) and reaches the client in a 500's message: the payload is left out here.
    if (!decoded.ok) throw new FetcherError(`base64decode: ${BASE64_PREFIX}[redacted]: ${decoded.error}`);
    return decoded.bytes;
  }
  // errors.Wrap(ErrUnknownScheme, s.ToUnknownPrefixErr().Error())
  const prefixes = [...REMOTE_PREFIXES, FILE_PREFIX, BASE64_PREFIX].join(", ");
  throw new FetcherError(`expected ${source} to have one of the prefixes [${prefixes}]: unknown scheme`, true);
}

/** FetchContext's bytes as the text Jsonnet and JSON readers take (Go's string of the buffer). */
export async function fetchText(source: string, options: FetcherOptions): Promise<string> {
  return (await fetchBytes(source, options)).toString("utf8");
}

/** Fetcher.fetchRemote: one GET through the client; only a 200's non-empty body is cached. */
async function fetchRemote(source: string, options: FetcherOptions): Promise<Buffer> {
  const { cache } = options;
  const cached = cache?.store.get(source);
  if (cached) return cached;
  // retryablehttp.NewRequestWithContext: http.NewRequest parses the URL first.
  const parsed = goUrlParse(source);
  if (!parsed.ok) throw new FetcherError(`new request: ${source}: ${parsed.error}`);
  let response;
  try {
    response = await resilientFetch(source, { method: "GET", headers: new Headers() }, options.client);
  } catch (error) {
    // errors.Wrap(err, source): Client.Do's "GET <url> giving up after N attempt(s): …".
    if (error instanceof ResilientClientError) throw new FetcherError(`${source}: ${error.message}`);
    throw error;
  }
  if (response.status !== 200) {
    await response.body.cancel().catch(() => undefined);
    throw new FetcherError(`expected http response status code 200 but got ${response.status} when fetching: ${source}`);
  }
  const bytes = await readBody(response.body, options.maxBytes);
  if (cache && bytes.length > 0) cache.store.set(source, bytes, cache.ttlMs);
  return bytes;
}

/** io.ReadAll, or io.Copy of an io.LimitReader of limit+1 bytes: more than the limit is bytes.ErrTooLarge. */
async function readBody(body: ReadableStream<Uint8Array>, maxBytes: number | undefined): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (maxBytes !== undefined && maxBytes > 0 && total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new FetcherError("bytes.Buffer: too large");
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FetcherError) throw error;
    // The body's read error as the client words it (a deadline, a reset connection).
    throw new FetcherError(error instanceof Error ? error.message : String(error));
  }
  return Buffer.concat(chunks, total);
}

/**
 * Fetcher.fetchFile: os.Open of what follows `file://` as written, then
 * io.ReadAll; errors name that path. The Compose mount folder and relative
 * paths are read from the config file's folder.
 */
async function fetchFile(written: string, configSource: string): Promise<Buffer> {
  // os.Open("") fails before any folder is looked at.
  if (written === "") throw new FetcherError("unable to open file: : open : no such file or directory");
  const configDir = path.dirname(configSource);
  const local = written.startsWith(MOUNTED_CONFIG_DIR)
    ? path.join(configDir, written.slice(MOUNTED_CONFIG_DIR.length))
    : path.resolve(configDir, written);
  try {
    return await readFile(local);
  } catch (error) {
    // os.Open succeeds on a folder; reading it fails.
    if (error instanceof Error && "code" in error && error.code === "EISDIR")
      throw new FetcherError(`unable to read file: ${written}: read ${written}: is a directory`);
    throw new FetcherError(`unable to open file: ${written}: open ${written}: ${goErrnoText(error)}`);
  }
}
