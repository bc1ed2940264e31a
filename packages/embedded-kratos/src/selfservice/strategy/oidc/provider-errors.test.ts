import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { KratosError } from "../../../http/errors";
import { pkceVerifier, providerConfiguration } from "./client";
import type { OidcProvider } from "./config";
import { genericProvider } from "./testing/generic-provider";

/**
 * Discovery as Kratos' generic provider runs it (provider_generic_oidc.go
 * provider → go-oidc NewProvider; Kratos' go.mod replaces coreos/go-oidc
 * with ory/go-oidc v3.0.0-20250124100243-69986dfaf891, oidc/oidc.go):
 * answers it refuses are 500 invalid_configuration with `Unable to
 * initialize OpenID Connect Provider: <NewProvider's error>` — the
 * document decoded by encoding/json into providerJSON (Go's error texts,
 * wrapped by unmarshalResp with the Content-Type), an issuer mismatch
 * (`expected %q got %q`, Kratos' strategy_test.go "should fail because the
 * issuer is mismatching"). A 200 answer's body is kept in ory's
 * oidcConfigCache (keyed by the well-known URL, no expiry) before it is
 * decoded, so the provider is not asked again and a bad body keeps failing,
 * decoded by plain json.Unmarshal. Real local servers.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A provider answering its discovery with `answer`; counts the discovery requests. */
async function discoveryServer(answer: (res: ServerResponse, issuer: string, req: IncomingMessage) => void) {
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    state.requests++;
    answer(res, issuer, req);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, state };
}

const provider = (issuerUrl: string, pkce: OidcProvider["pkce"] = "auto") => genericProvider(issuerUrl, { pkce });

async function reasonOf(issuer: string): Promise<string> {
  const error: unknown = await providerConfiguration(provider(issuer)).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof KratosError)) throw new Error(`expected a KratosError, got ${String(error)}`);
  expect(error.code).toBe(500);
  expect(error.id).toBe("invalid_configuration");
  return String(error.reason);
}

const PREFIX = "Unable to initialize OpenID Connect Provider: ";
const DECODE = `${PREFIX}oidc: failed to decode provider discovery object: `;

const send = (res: ServerResponse, contentType: string | undefined, body: string) =>
  res.writeHead(200, contentType === undefined ? {} : { "content-type": contentType }).end(body);

describe("discovery answers in ory/go-oidc's words (NewProvider, unmarshalResp)", () => {
  it("an issuer other than the configured one: `oidc: issuer did not match the issuer returned by provider, expected … got …`", async () => {
    const { issuer } = await discoveryServer((res) => send(res, "application/json", JSON.stringify({ issuer: "https://other.example" })));
    expect(await reasonOf(issuer)).toBe(
      `${PREFIX}oidc: issuer did not match the issuer returned by provider, expected "${issuer}" got "https://other.example"`,
    );
  });

  it("the issuers are quoted as %q quotes them: a zero-width space or no-break space is escaped (go-oidc NewProvider)", async () => {
    const sent = "https://other.example/\u200b\u00a0";
    const { issuer } = await discoveryServer((res) => send(res, "application/json", JSON.stringify({ issuer: sent })));
    expect(await reasonOf(issuer)).toBe(
      `${PREFIX}oidc: issuer did not match the issuer returned by provider, expected "${issuer}" got "https://other.example/\\u200b\\u00a0"`,
    );
  });

  it("a page that is no JSON: Go's syntax error, said against the Content-Type", async () => {
    const { issuer } = await discoveryServer((res) => send(res, "text/html; charset=utf-8", "<html>login</html>"));
    expect(await reasonOf(issuer)).toBe(
      `${DECODE}expected Content-Type = application/json, got "text/html; charset=utf-8": invalid character '<' looking for beginning of value`,
    );
  });

  it("an empty JSON answer, one cut short and one with more after the document", async () => {
    const empty = await discoveryServer((res) => send(res, "application/json", ""));
    expect(await reasonOf(empty.issuer)).toBe(
      `${DECODE}got Content-Type = application/json, but could not unmarshal as JSON: unexpected end of JSON input`,
    );
    const cut = await discoveryServer((res) => send(res, undefined, '{"issuer":'));
    expect(await reasonOf(cut.issuer)).toBe(`${DECODE}expected Content-Type = application/json, got "": unexpected end of JSON input`);
    const more = await discoveryServer((res, iss) => send(res, "application/json", `${JSON.stringify({ issuer: iss })} x`));
    expect(await reasonOf(more.issuer)).toBe(
      `${DECODE}got Content-Type = application/json, but could not unmarshal as JSON: invalid character 'x' after top-level value`,
    );
  });

  it("fields of the wrong type: `json: cannot unmarshal … into Go struct field providerJSON.<key> of type …`", async () => {
    const number = await discoveryServer((res) => send(res, "application/json", '{"issuer":1}'));
    expect(await reasonOf(number.issuer)).toBe(
      `${DECODE}got Content-Type = application/json, but could not unmarshal as JSON: json: cannot unmarshal number into Go struct field providerJSON.issuer of type string`,
    );
    const list = await discoveryServer((res) => send(res, "application/json", "[]"));
    expect(await reasonOf(list.issuer)).toBe(
      `${DECODE}got Content-Type = application/json, but could not unmarshal as JSON: json: cannot unmarshal array into Go value of type oidc.providerJSON`,
    );
  });

  it("keeps a 200 body and decodes it again without asking, its error now without the Content-Type (oidcConfigCache)", async () => {
    const { issuer, state } = await discoveryServer((res) => send(res, "text/html", "<html>"));
    await reasonOf(issuer);
    expect(await reasonOf(issuer)).toBe(`${DECODE}invalid character '<' looking for beginning of value`);
    expect(state.requests).toBe(1);
  });

  it("asks again after an answer that was not 200 (`<status>: <body>`, not kept)", async () => {
    const { issuer, state } = await discoveryServer((res) => res.writeHead(404, { "content-type": "text/plain" }).end("nope"));
    expect(await reasonOf(issuer)).toBe(`${PREFIX}404 Not Found: nope`);
    await reasonOf(issuer);
    expect(state.requests).toBe(2);
  });
});

describe("discovery documents Go takes", () => {
  it("a JSON document served as text/plain, keys in any case, and reached through a redirect (Go's client follows it)", async () => {
    const { issuer } = await discoveryServer((res, iss, req) => {
      if (req.url === "/.well-known/openid-configuration") return res.writeHead(302, { location: "/real" }).end();
      send(res, "text/plain", JSON.stringify({ ISSUER: iss, Token_Endpoint: `${iss}/token`, jwks_uri: `${iss}/jwks` }));
    });
    const configuration = await providerConfiguration(provider(issuer));
    expect(configuration.serverMetadata()).toMatchObject({ issuer, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` });
  });

  it("PKCE `auto` follows code_challenge_methods_supported as discoverPKCE decodes it (pkce.go)", async () => {
    const s256 = await discoveryServer((res, iss) =>
      send(res, "application/json", JSON.stringify({ issuer: iss, code_challenge_methods_supported: ["S256"] })),
    );
    expect(await pkceVerifier(provider(s256.issuer))).not.toBe("");
    // A list that does not decode into []string is no PKCE support.
    const odd = await discoveryServer((res, iss) =>
      send(res, "application/json", JSON.stringify({ issuer: iss, code_challenge_methods_supported: "S256" })),
    );
    expect(await pkceVerifier(provider(odd.issuer))).toBe("");
  });
});
