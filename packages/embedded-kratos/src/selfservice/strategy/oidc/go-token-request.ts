import { AsyncLocalStorage } from "node:async_hooks";
import { readGoNode, scanGoJson, unmarshalAs } from "@olympus/server-kit/go-json";
import { parseMediaType } from "../../../http/negotiate";
import { goParseQuery, goQueryEscape, goValuesEncode, goValuesGet, type GoValues } from "@olympus/server-kit/go-url";
import { statusLine } from "./go-status";
import { TOKEN_JSON } from "./go-token-json";
import { goQuote } from "@olympus/server-kit/go-strconv";

/**
 * The code exchange's request as x/oauth2 (v0.34.0, internal/token.go
 * RetrieveToken) sends it for Kratos' generic provider. go-oidc's
 * Provider.Endpoint leaves Endpoint.AuthStyle at AuthStyleAutoDetect, so
 * RetrieveToken probes: the client's credentials go in a Basic
 * Authorization header first (each part url.QueryEscape'd), and when that
 * round trip fails in any way doTokenRoundTrip reports, once more in the
 * form body (`client_id`, `client_secret`, each only when not empty); the
 * second attempt's outcome is what Kratos sees. The style that worked is
 * remembered in the oauth2.Config's own AuthStyleCache, but Kratos builds
 * a new Config for every exchange (ProviderGenericOIDC.OAuth2 →
 * oauth2ConfigFromEndpoint), so every exchange probes afresh.
 *
 * openid-client builds the token request; it is rebuilt here as Go writes
 * it (the form sorted and escaped by url.Values.Encode, Content-Type
 * without charset, no Accept), the answer is judged as doTokenRoundTrip
 * judges it, and a token it accepts is handed to openid-client in the shape
 * openid-client reads (a 200 JSON body with a token type), so what passes
 * or fails, and the failure's text, are x/oauth2's.
 */

export interface TokenClient {
  clientId: string;
  clientSecret: string;
  /** Each attempt gets its own deadline, as each Client.Do runs under Client.Timeout. */
  timeoutSeconds: number;
}

const exchanges = new AsyncLocalStorage<TokenClient>();

/** Runs the code exchange with x/oauth2's auth style probing for the POSTs it makes. */
export const withTokenAuthProbe = <T>(client: TokenClient, exchange: () => Promise<T>): Promise<T> => exchanges.run(client, exchange);

/** The client of the code exchange running now, if any. */
export const tokenExchangeClient = (): TokenClient | undefined => exchanges.getStore();

/** Sends one request and reads at most `limit` bytes of its answer's body, the rest left unread (providerFetch's round trip). */
export type BoundedRoundTrip = (url: string, init: RequestInit, limit: number) => Promise<{ response: Response; body: Uint8Array }>;

/**
 * doTokenRoundTrip reads `io.ReadAll(io.LimitReader(r.Body, 1<<20))` and
 * closes the body: what comes after the first MiB is never waited for.
 */
const TOKEN_BODY_LIMIT = 1 << 20;

/** doTokenRoundTrip's failure for an answer it read: the text x/oauth2 gives it. */
export class GoTokenError extends Error {
  override name = "GoTokenError";
}

/**
 * RetrieveToken with AuthStyleAutoDetect: header first, then body. The
 * second attempt's token, or its failure (thrown: a GoTokenError with
 * x/oauth2's text, or the transport's error), is the result.
 */
export async function probeTokenRequest(
  url: string,
  body: URLSearchParams,
  client: TokenClient,
  send: BoundedRoundTrip,
): Promise<Response> {
  const values: GoValues = new Map();
  for (const [key, value] of body) {
    const k = bytesOf(key);
    values.set(k, [...(values.get(k) ?? []), bytesOf(value)]);
  }
  const attempt = async (style: "header" | "params") => {
    const { response, body: bytes } = await send(url, tokenRequest(values, client, style), TOKEN_BODY_LIMIT);
    return { response, outcome: goTokenOf(response, bytes) };
  };
  try {
    const first = await attempt("header");
    if ("token" in first.outcome) return forOpenIdClient(first.response, first.outcome.token);
  } catch {
    // A transport failure or an unreadable body fails doTokenRoundTrip too: the body style is tried next.
  }
  const second = await attempt("params");
  if ("error" in second.outcome) throw new GoTokenError(second.outcome.error);
  return forOpenIdClient(second.response, second.outcome.token);
}

/** A text as the byte string server-kit go-url works on (its UTF-8 bytes, one char each). */
const bytesOf = (text: string) => Buffer.from(text, "utf8").toString("latin1");

/** newTokenRequest: the form (with the credentials for AuthStyleInParams) and the Basic header for AuthStyleInHeader. */
function tokenRequest(values: GoValues, client: TokenClient, style: "header" | "params"): RequestInit {
  const form = new Map(values);
  if (style === "params") {
    if (client.clientId !== "") form.set("client_id", [bytesOf(client.clientId)]);
    if (client.clientSecret !== "") form.set("client_secret", [bytesOf(client.clientSecret)]);
  }
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (style === "header") {
    const credentials = `${goQueryEscape(bytesOf(client.clientId))}:${goQueryEscape(bytesOf(client.clientSecret))}`;
    headers.authorization = `Basic ${Buffer.from(credentials, "latin1").toString("base64")}`;
  }
  return {
    method: "POST",
    headers,
    body: goValuesEncode(form),
    redirect: "manual",
    signal: AbortSignal.timeout(client.timeoutSeconds * 1000),
  };
}

/** What a successful doTokenRoundTrip yields: the token's fields and `id_token` as Token.Extra reads it. */
interface GoToken {
  accessToken: string;
  tokenType: string;
  refreshToken: string;
  expiresIn: number;
  idToken: unknown;
}

/** doTokenRoundTrip's verdict on an answer it read: the token, or its error's text. */
function goTokenOf(response: Response, bytes: Uint8Array): { token: GoToken } | { error: string } {
  const failureStatus = response.status < 200 || response.status > 299;
  const text = Buffer.from(bytes).toString("utf8");
  // RetrieveError: the OAuth error when the body names one, else the status line and the body.
  const retrieveError = (code = "", description = "", uri = "") => {
    if (code === "") return { error: `oauth2: cannot fetch token: ${statusLine(response)}\nResponse: ${text}` };
    let message = `oauth2: ${goQuote(code)}`;
    if (description !== "") message += ` ${goQuote(description)}`;
    if (uri !== "") message += ` ${goQuote(uri)}`;
    return { error: message };
  };
  let token: GoToken;
  const content = parseMediaType(response.headers.get("content-type") ?? "");
  if (content === "application/x-www-form-urlencoded" || content === "text/plain") {
    const parsed = goParseQuery(Buffer.from(bytes).toString("latin1"));
    if (parsed.error !== undefined) return failureStatus ? retrieveError() : { error: `oauth2: cannot parse response: ${parsed.error}` };
    const get = (key: string) => goValuesGet(parsed.values, key);
    if (failureStatus || get("error") !== "") return retrieveError(get("error"), get("error_description"), get("error_uri"));
    token = {
      accessToken: get("access_token"),
      tokenType: get("token_type"),
      refreshToken: get("refresh_token"),
      expiresIn: goAtoi(get("expires_in")),
      idToken: get("id_token"),
    };
  } else {
    let decoded: Record<string, unknown>;
    let raw: unknown;
    try {
      const value = unmarshalAs(readGoNode(bytes, scanGoJson(bytes, "unmarshal")), TOKEN_JSON);
      decoded = isRecord(value) ? value : {};
      raw = JSON.parse(text) as unknown;
    } catch (error) {
      if (failureStatus) return retrieveError();
      return { error: `oauth2: cannot parse json: ${error instanceof Error ? error.message : String(error)}` };
    }
    const get = (key: string) => {
      const value = decoded[key];
      return typeof value === "string" ? value : "";
    };
    if (failureStatus || get("error") !== "") return retrieveError(get("error"), get("error_description"), get("error_uri"));
    token = {
      accessToken: get("access_token"),
      tokenType: get("token_type"),
      refreshToken: get("refresh_token"),
      expiresIn: typeof decoded.expires_in === "number" ? decoded.expires_in : 0,
      // Token.Extra reads the raw map, whose keys match exactly.
      idToken: isRecord(raw) ? raw.id_token : undefined,
    };
  }
  if (token.accessToken === "") return { error: "oauth2: server response missing access_token" };
  return { token };
}

/** strconv.Atoi as the form answer's expires_in is read (an error reads as 0). */
function goAtoi(value: string): number {
  if (!/^[+-]?\d+$/.test(value)) return 0;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : 0;
}

/**
 * The answer openid-client reads for a token x/oauth2 accepted: status 200
 * and a JSON body of the token's fields. A missing token type reads as
 * Bearer (Token.Type), the one openid-client's userinfo call sends anyway.
 */
function forOpenIdClient(response: Response, token: GoToken): Response {
  const body: Record<string, unknown> = { access_token: token.accessToken, token_type: token.tokenType || "Bearer" };
  if (token.refreshToken !== "") body.refresh_token = token.refreshToken;
  if (token.expiresIn > 0) body.expires_in = token.expiresIn;
  // An id_token that is not a string stays one: Kratos' idTokenAndProvider refuses it as missing, and so does openid-client.
  if (token.idToken !== undefined && token.idToken !== "") body.id_token = token.idToken;
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  headers.delete("content-encoding");
  return new Response(JSON.stringify(body), { status: 200, statusText: "OK", headers });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
