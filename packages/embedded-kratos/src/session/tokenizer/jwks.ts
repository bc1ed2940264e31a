import { readFile } from "node:fs/promises";
import path from "node:path";
import { goQuote } from "@olympus/server-kit/go-strconv";
import type { KratosConfig } from "../../config/load";
import { resolveFileUrl } from "../../config/load";
import { KratosError } from "../../http/errors";

/** The prefixes ory/x fetcher.FetchBytes switches on, in its order. */
const FETCHER_PREFIXES = ["http://", "https://", "file://", "base64://"] as const;

/**
 * ory/x fetcher.FetchBytes for the tokenizer: the schemes it allows, the
 * texts of its errors (plain Go errors, which herodot answers as 500 with the
 * text as `message`), `file://` paths as this server maps them (relative to
 * the config file, the Compose mount folder to the config folder).
 */
export async function fetchSource(config: KratosConfig, source: string, schemes: readonly string[]): Promise<string> {
  const redacted = source.startsWith("base64://") ? "base64://[redacted]" : source;
  // fetcher.FetchBytes' default case: stringsx errUnknownPrefix (every prefix its switch tried) wrapped around ErrUnknownScheme.
  if (!FETCHER_PREFIXES.some((prefix) => source.startsWith(prefix)))
    throw goError(`expected ${source} to have one of the prefixes [${FETCHER_PREFIXES.join(", ")}]: unknown scheme`);
  if (!schemes.some((scheme) => source.startsWith(`${scheme}://`)))
    throw goError(`unknown scheme: in source ${goQuote(redacted)}: allowed schemes: ${schemes.join(", ")}`);
  if (source.startsWith("base64://")) {
    const data = source.slice("base64://".length);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) throw goError(`base64decode: ${redacted}: illegal base64 data`);
    return Buffer.from(data, "base64").toString("utf8");
  }
  if (source.startsWith("file://")) {
    const file = resolveFileUrl(source, path.dirname(config.source), "session.whoami.tokenizer");
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      throw goError(`read file: ${source}: ${(error as Error).message}`);
    }
  }
  let response: Response;
  try {
    response = await fetch(source, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw goError(`${redacted}: ${(error as Error).message}`);
  }
  if (response.status !== 200)
    throw goError(`expected http response status code 200 but got ${response.status} when fetching: ${redacted}`);
  return response.text();
}

/** A plain Go error reaching Kratos' error writer: 500, its text as `message`, no reason. */
const goError = (text: string) => new KratosError(500, { message: text });

/** One JWK as lestrrat-go/jwx parses it (the members each key type needs). */
export interface Jwk {
  kty: string;
  alg?: string;
  kid?: string;
  crv?: string;
  [member: string]: unknown;
}

const REQUIRED_MEMBERS: Record<string, string[]> = { RSA: ["n", "e"], EC: ["crv", "x", "y"], oct: ["k"], OKP: ["crv", "x"] };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function isJwk(value: unknown): value is Jwk {
  if (!isObject(value) || typeof value.kty !== "string") return false;
  const required = REQUIRED_MEMBERS[value.kty];
  return required !== undefined && required.every((m) => typeof value[m] === "string");
}

/** jwk.ParseReader: a set (`{"keys":[…]}`) or a single key; anything else is herodot's 400 "failed to parse JWK set". */
export function parseJwks(text: string): Jwk[] {
  const invalid = () => new KratosError(400, { reason: "failed to parse JWK set" });
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid();
  }
  const keys: unknown[] =
    isObject(document) && Array.isArray(document.keys) ? document.keys : isObject(document) && "kty" in document ? [document] : [];
  if (!isObject(document) || (!Array.isArray(document.keys) && !("kty" in document))) throw invalid();
  if (!keys.every(isJwk)) throw invalid();
  return keys;
}
