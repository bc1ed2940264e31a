import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { CIAM_CONFIG, startKratos, startTestPostgres, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { goTime } from "./provider-errors";

/**
 * ID tokens that do not verify, answered with go-oidc v3's reasons and the
 * values Go appends (oidc/verify.go IDTokenVerifier.Verify: the issuer check,
 * the audience check, TokenExpiredError, the nbf check), as Kratos'
 * ProviderGenericOIDC.verifiedIDToken returns them (400). The provider here is
 * a minimal OpenID Connect server whose token endpoint hands out whatever ID
 * token the test builds, signed with its own key.
 */
describe("ID token verification errors worded as go-oidc's (verify.go Verify)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let idp: Server;
  let issuer = "";
  let nextClaims: Record<string, unknown> = {};
  let signWith: KeyObject | undefined;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

  beforeAll(async () => {
    idp = createServer((req, res) => {
      const url = new URL(req.url ?? "/", issuer);
      const json = (body: unknown) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/.well-known/openid-configuration") {
        return json({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
        });
      }
      if (url.pathname === "/jwks")
        return json({ keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }] });
      if (url.pathname === "/token") {
        req.resume();
        req.on("end", () => json({ access_token: "at", token_type: "Bearer", id_token: jwt(signWith ?? privateKey, nextClaims) }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_oidc_id_token", {
      configPath: CIAM_CONFIG,
      configOverrides: {
        selfservice: {
          methods: {
            oidc: {
              enabled: true,
              config: {
                providers: [
                  {
                    id: "fake",
                    provider: "generic",
                    client_id: "client",
                    client_secret: "secret",
                    issuer_url: issuer,
                    pkce: "never",
                    mapper_url: `base64://${Buffer.from("{identity: {traits: {}}}").toString("base64")}`,
                  },
                ],
              },
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await new Promise((resolve) => idp?.close(resolve));
    await pg?.stop();
  });

  /** The reason the login flow shows after a callback whose token endpoint returned an ID token with these claims. */
  async function reasonFor(claims: Record<string, unknown>): Promise<string> {
    nextClaims = claims;
    const browser = new TestBrowser();
    const pub = kratos.publicUrl.replace(/\/?$/, "/");
    const init = await browser.request(`${pub}self-service/login/browser`, { headers: { Accept: "application/json" } });
    const flow = init.body as { id: string; ui: { action: string; nodes: { attributes: { name?: string; value?: unknown } }[] } };
    const csrf = String(flow.ui.nodes.find((n) => n.attributes.name === "csrf_token")?.attributes.value);
    const submit = await browser.request(flow.ui.action, { form: { csrf_token: csrf, method: "oidc", provider: "fake" } });
    const state = new URL(String(submit.location)).searchParams.get("state") ?? "";
    const callback = await browser.request(`${pub}self-service/methods/oidc/callback/fake?code=c&state=${state}`, {
      headers: { Accept: "application/json" },
    });
    expect(callback.status).toBe(400);
    const shown = callback.body as { ui: { messages: { text: string }[] } };
    return String(shown.ui.messages[0]?.text);
  }

  const now = () => Math.floor(Date.now() / 1000);
  const valid = () => ({ iss: issuer, aud: "client", sub: "s", iat: now(), exp: now() + 300 });

  it("names the expiry as Go prints a time.Time (TokenExpiredError)", async () => {
    const exp = now() - 3600;
    expect(await reasonFor({ ...valid(), exp })).toBe(`oidc: token is expired (Token Expiry: ${goTime(new Date(exp * 1000))})`);
    expect(goTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02 03:04:05 +0000 UTC");
  });

  it("names the expected and the received issuer (%q)", async () => {
    expect(await reasonFor({ ...valid(), iss: "https://elsewhere.example" })).toBe(
      `oidc: id token issued by a different provider, expected "${issuer}" got "https://elsewhere.example"`,
    );
  });

  it("names the client id and the audience list (%q of a []string)", async () => {
    expect(await reasonFor({ ...valid(), aud: ["a", "b"] })).toBe(`oidc: expected audience "client" got ["a" "b"]`);
  });

  it("quotes issuer and audience as %q does: runes Go does not print are escaped (go-oidc verify.go)", async () => {
    expect(await reasonFor({ ...valid(), iss: "https://elsewhere.example/\u2060" })).toBe(
      `oidc: id token issued by a different provider, expected "${issuer}" got "https://elsewhere.example/\\u2060"`,
    );
    expect(await reasonFor({ ...valid(), aud: ["a\u00a0", "\ue000"] })).toBe(`oidc: expected audience "client" got ["a\\u00a0" "\\ue000"]`);
  });

  it("answers a signature made with another key as go-oidc's remote key set does", async () => {
    signWith = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    try {
      expect(await reasonFor(valid())).toBe("failed to verify signature: failed to verify id token signature");
    } finally {
      signWith = undefined;
    }
  });
});

function jwt(key: KeyObject, claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const input = `${part({ alg: "RS256", typ: "JWT", kid: "k1" })}.${part(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}
