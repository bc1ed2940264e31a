import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKratosConfig } from "../../config/load";
import { KratosError } from "../../http/errors";
import { CIAM_CONFIG } from "../../testing/harness";
import type { Session } from "../session";
import { SessionTokenizer } from "./tokenizer";

/**
 * session/tokenizer.go TokenizeSession reading its sources over HTTP: the
 * JWKS through the registry's jwksx.FetcherNext.ResolveKey (WithCacheEnabled,
 * WithCacheTTL(time.Hour), WithHTTPClient(s.r.HTTPClient(ctx))) and the
 * claims mapper through fetcher.NewFetcher(WithClient, WithCache(s.cache,
 * 60*time.Minute)).FetchContext — both over the registry's resilient client
 * (driver/registry_default.go HTTPClient), so `clients.http` applies.
 * Against a real local HTTP server.
 */
const answers = new Map<string, { status: number; body: string }>();
const hits = new Map<string, number>();
const server = createServer((req, res) => {
  const url = req.url ?? "/";
  hits.set(url, (hits.get(url) ?? 0) + 1);
  const answer = answers.get(url) ?? { status: 404, body: "" };
  res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.body);
});
let base = "";
let signing: { privateJwk: JWK; publicJwk: JWK };

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  signing = {
    privateJwk: { ...(await exportJWK(privateKey)), alg: "ES256", kid: "remote-1" },
    publicJwk: { ...(await exportJWK(publicKey)), alg: "ES256", kid: "remote-1" },
  };
  const { privateKey: other } = await generateKeyPair("RS256", { extractable: true });
  // jwksx without a forced kid: the set's first key signs.
  answers.set("/jwks.json", {
    status: 200,
    body: JSON.stringify({ keys: [signing.privateJwk, { ...(await exportJWK(other)), alg: "RS256" }] }),
  });
  answers.set("/claims.jsonnet", { status: 200, body: "{ claims: { remote: std.extVar('claims').sid } }" });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const session: Session = {
  id: "8c8a1a8e-0000-4000-8000-000000000001",
  identityId: "8c8a1a8e-0000-4000-8000-000000000002",
  active: true,
  aal: "aal1",
  authenticationMethods: [],
  authenticatedAt: new Date(),
  issuedAt: new Date(),
  expiresAt: new Date(Date.now() + 60_000),
  devices: [],
};

function tokenizer(templates: Record<string, unknown>, http: Record<string, unknown> = {}): SessionTokenizer {
  const config = loadKratosConfig(CIAM_CONFIG, {
    overrides: { session: { whoami: { tokenizer: { templates } } }, clients: { http } },
    warn: () => undefined,
  });
  return new SessionTokenizer(config);
}

const failure = async (pending: Promise<unknown>): Promise<KratosError> => {
  const error = await pending.catch((e: unknown) => e);
  if (!(error instanceof KratosError)) throw new Error(`expected a KratosError, got ${String(error)}`);
  return error;
};

describe("session tokenizer sources over http(s) (tokenizer.go TokenizeSession, jwksx.FetcherNext, fetcher.FetchContext)", () => {
  it("signs with the first key of an http JWKS and merges an http mapper's claims; both are fetched once (cached an hour)", async () => {
    const t = tokenizer({ remote: { ttl: "1m", jwks_url: `${base}/jwks.json`, claims_mapper_url: `${base}/claims.jsonnet` } });
    const before = { jwks: hits.get("/jwks.json") ?? 0, mapper: hits.get("/claims.jsonnet") ?? 0 };
    for (let i = 0; i < 2; i++) {
      const jwt = await t.tokenize("remote", session, { id: session.id });
      const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet({ keys: [signing.publicJwk] }));
      expect(protectedHeader).toMatchObject({ alg: "ES256", kid: "remote-1" });
      expect(payload).toMatchObject({ sub: session.identityId, sid: session.id, remote: session.id });
    }
    expect(hits.get("/jwks.json")).toBe(before.jwks + 1);
    expect(hits.get("/claims.jsonnet")).toBe(before.mapper + 1);
  });

  it("answers the fetcher's errors as they are: a 500 whose message is Go's text", async () => {
    const t = tokenizer({
      missing: { ttl: "1m", jwks_url: `${base}/missing.json` },
      bad_base64: { ttl: "1m", jwks_url: "base64://e30=!" },
      missing_mapper: { ttl: "1m", jwks_url: `${base}/jwks.json`, claims_mapper_url: `${base}/missing.jsonnet` },
    });
    const missing = await failure(t.tokenize("missing", session, {}));
    expect([missing.code, missing.message]).toEqual([
      500,
      `expected http response status code 200 but got 404 when fetching: ${base}/missing.json`,
    ]);
    // errors.Wrapf(err, "base64decode: %s", source), with the source's payload left out (an inline key set stays secret).
    const bad = await failure(t.tokenize("bad_base64", session, {}));
    expect(bad.message).toBe("base64decode: base64://[redacted]: illegal base64 data at input byte 4");
    const mapper = await failure(t.tokenize("missing_mapper", session, {}));
    expect(mapper.message).toBe(`expected http response status code 200 but got 404 when fetching: ${base}/missing.jsonnet`);
  });

  it("clients.http.disallow_private_ip_ranges refuses a loopback JWKS (the resilient client gives up after its 3 attempts)", async () => {
    const t = tokenizer({ remote: { ttl: "1m", jwks_url: `${base}/jwks.json` } }, { disallow_private_ip_ranges: true });
    const before = hits.get("/jwks.json") ?? 0;
    const error = await failure(t.tokenize("remote", session, {}));
    expect(error.code).toBe(500);
    expect(error.message).toContain(
      `${base}/jwks.json: GET ${base}/jwks.json giving up after 3 attempt(s): Get "${base}/jwks.json": dial tcp `,
    );
    expect(error.message).toContain("prohibited IP address: 127.0.0.1 is not a permitted destination");
    expect(hits.get("/jwks.json")).toBe(before);
  }, 20_000);
});
