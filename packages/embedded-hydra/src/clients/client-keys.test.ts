import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientKeyError, JWKS_BODY_LIMIT, JwksFetcher } from "./client-keys";

/**
 * fosite's DefaultJWKSFetcherStrategy.Resolve (fosite/client_authentication_jwks_strategy.go)
 * decodes the whole answer of a `jwks_uri` with json.NewDecoder and no
 * limit. Here the body is read up to JWKS_BODY_LIMIT (10 MiB, the cap
 * fosite's authorize_request_handler.go puts on a `request_uri`): a
 * security hardening, so a client's key server cannot make the server
 * buffer an endless answer. A longer answer is cut there and fails as
 * undecodable JSON, as a bad key set does.
 */
const padded = (size: number) => {
  const head = '{"keys":[],"pad":"';
  const tail = '"}';
  return head + "x".repeat(size - head.length - tail.length) + tail;
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    if (req.url === "/garbage") return void res.end("<html>not a key set</html>");
    if (req.url === "/fits") return void res.end(padded(JWKS_BODY_LIMIT));
    res.end(padded(JWKS_BODY_LIMIT + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server?.close();
});

async function failure(location: string): Promise<ClientKeyError> {
  const error: unknown = await new JwksFetcher({ disallowPrivateIpRanges: false }).resolve(location, true).catch((e: unknown) => e);
  if (!(error instanceof ClientKeyError)) throw new Error(`expected a ClientKeyError, got ${String(error)}`);
  return error;
}

describe("the size of a jwks_uri answer (DefaultJWKSFetcherStrategy.Resolve, capped here)", () => {
  it("is 10 MiB, the cap Hydra puts on a request_uri", () => {
    expect(JWKS_BODY_LIMIT).toBe(10 * 1024 * 1024);
  });

  it("refuses an answer over the cap as it refuses one that is not JSON", async () => {
    const hint = (location: string) =>
      `Unable to decode JSON Web Keys from location '${location}'. Please check for typos and if the URL returns valid JSON.`;
    const garbage = await failure(`${base}/garbage`);
    expect([garbage.errorName, garbage.hint]).toEqual(["server_error", hint(`${base}/garbage`)]);
    const huge = await failure(`${base}/huge`);
    expect([huge.errorName, huge.hint]).toEqual(["server_error", hint(`${base}/huge`)]);
  });

  it("reads a key set of exactly the cap", async () => {
    const set = await new JwksFetcher({ disallowPrivateIpRanges: false }).resolve(`${base}/fits`, true);
    expect(set).toMatchObject({ keys: [] });
  });
});
