import { ORY_HTTP_CLIENT, resilientFetch, type PrivateIpPolicy, type ResilientOptions } from "@olympus/server-kit/http";

/**
 * The HTTP client Hydra gives fosite for `request_uri` and `jwks_uri`
 * (driver/registry_sql.go HTTPClient): ory/x httpx NewResilientClient with
 * two retries and a 30-second timeout, with `clients.http`'s private-IP
 * policy — the resilient client of @olympus/server-kit/http, which the
 * embedded Kratos' web hooks use too.
 */
export interface FetchedText {
  status: number;
  body: string;
}

export interface OutboundOptions extends PrivateIpPolicy {
  /** The body is cut at this many bytes (fosite's io.LimitReader). */
  limit?: number;
  /** Test hook: how a retry waits (go-retryablehttp's backoff otherwise). */
  sleep?: ResilientOptions["sleep"];
}

/** GET `location` as Hydra's resilient client does; throws Client.Do's error once it gives up. */
export async function fetchText(location: string, options: OutboundOptions): Promise<FetchedText> {
  const { limit, ...policy } = options;
  const response = await resilientFetch(location, { method: "GET", headers: new Headers() }, { ...ORY_HTTP_CLIENT, ...policy });
  return { status: response.status, body: await readAll(response.body, limit) };
}

/** The body, at most `limit` bytes of it (beyond it nothing more is read: the rest goes with the connection). */
async function readAll(body: ReadableStream<Uint8Array>, limit: number | undefined): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    chunks.push(chunk.value);
    size += chunk.value.length;
    if (limit !== undefined && size >= limit) {
      await reader.cancel();
      break;
    }
  }
  const all = Buffer.concat(chunks);
  return (limit === undefined ? all : all.subarray(0, limit)).toString("utf8");
}
