import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./testing/sign-in";

/**
 * OAuth2 abuse, spoken directly to the endpoints (no client library to
 * smooth anything over): code replay, refresh-token reuse, PKCE downgrade,
 * redirect-URI tricks, and state/nonce integrity.
 */
const ERROR_UI = "http://ciam.localhost:3000/error";
const REDIRECT_URI = "http://rp.localhost:5555/callback";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let confidential: { id: string; secret: string };
let publicClient: string;

const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");
const newVerifier = () => randomBytes(32).toString("base64url");

function authorizeUrl(clientId: string, params: Record<string, string | undefined>): string {
  const url = new URL("oauth2/auth", hydra.publicUrl);
  const all: Record<string, string | undefined> = {
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "openid offline_access",
    state: "state-0001",
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** Runs login and consent for `subject`; returns where the browser was finally sent (the client's callback). */
async function consentedCallback(authorize: string, subject = "mallory-target"): Promise<URL> {
  const browser = new TestBrowser();
  const atLogin = await browser.navigate(authorize, startsWith(LOGIN_UI, REDIRECT_URI, ERROR_UI));
  if (!atLogin.url.toString().startsWith(LOGIN_UI)) return atLogin.url;
  const loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
  const { data: login } = await hydra.admin.acceptOAuth2LoginRequest({ loginChallenge, acceptOAuth2LoginRequest: { subject } });
  const atConsent = await browser.navigate(login.redirect_to, startsWith(CONSENT_UI, REDIRECT_URI));
  const consentChallenge = atConsent.url.searchParams.get("consent_challenge") ?? "";
  const { data: request } = await hydra.admin.getOAuth2ConsentRequest({ consentChallenge });
  const { data: consent } = await hydra.admin.acceptOAuth2ConsentRequest({
    consentChallenge,
    acceptOAuth2ConsentRequest: { grant_scope: request.requested_scope ?? [] },
  });
  return (await browser.navigate(consent.redirect_to, startsWith(REDIRECT_URI))).url;
}

interface TokenAnswer {
  status: number;
  body: { access_token?: string; refresh_token?: string; id_token?: string; error?: string; error_description?: string };
}

async function token(
  form: Record<string, string | undefined>,
  client: { id: string; secret?: string } = confidential,
): Promise<TokenAnswer> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
  if (client.secret)
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString("base64")}`;
  else body.set("client_id", client.id);
  const res = await fetch(new URL("oauth2/token", hydra.publicUrl), { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as TokenAnswer["body"] };
}

const exchange = (code: string, verifier: string | undefined, client: { id: string; secret?: string } = confidential) =>
  token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, client);

async function active(tokenValue: string | undefined): Promise<boolean> {
  const { data } = await hydra.admin.introspectOAuth2Token({ token: tokenValue ?? "" });
  return data.active;
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  confidential = await createClient(hydra, {
    redirect_uris: [REDIRECT_URI],
    scope: "openid offline_access email",
    grant_types: ["authorization_code", "refresh_token"],
  });
  publicClient = (
    await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      scope: "openid offline_access",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
    })
  ).id;
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("authorization codes", () => {
  it("are single-use: a replayed code is refused and revokes every token issued from it", async () => {
    const verifier = newVerifier();
    const callback = await consentedCallback(
      authorizeUrl(confidential.id, { code_challenge: s256(verifier), code_challenge_method: "S256" }),
    );
    const code = callback.searchParams.get("code") ?? "";
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    expect(await active(first.body.access_token)).toBe(true);

    const replay = await exchange(code, verifier);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    // The replay is treated as a stolen code: the tokens of the first exchange die with it.
    expect(await active(first.body.access_token)).toBe(false);
    expect(await active(first.body.refresh_token)).toBe(false);
    expect((await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token })).body.error).toBe("invalid_grant");
  });

  it("cannot be redeemed by another client or for another redirect_uri", async () => {
    const verifier = newVerifier();
    const callback = await consentedCallback(
      authorizeUrl(confidential.id, { code_challenge: s256(verifier), code_challenge_method: "S256" }),
    );
    const code = callback.searchParams.get("code") ?? "";
    const other = await createClient(hydra, { redirect_uris: [REDIRECT_URI], scope: "openid" });
    expect((await exchange(code, verifier, other)).body.error).toBe("invalid_grant");
    expect(
      (await token({ grant_type: "authorization_code", code, redirect_uri: `${REDIRECT_URI}/x`, code_verifier: verifier })).body.error,
    ).toBe("invalid_grant");
  });
});

describe("refresh tokens", () => {
  it("rotate on use, and reusing a rotated one revokes the whole chain", async () => {
    const verifier = newVerifier();
    const callback = await consentedCallback(
      authorizeUrl(confidential.id, { code_challenge: s256(verifier), code_challenge_method: "S256" }),
    );
    const first = await exchange(callback.searchParams.get("code") ?? "", verifier);
    const second = await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    const third = await token({ grant_type: "refresh_token", refresh_token: second.body.refresh_token });
    expect(third.status).toBe(200);

    // An attacker replays the first (already rotated) refresh token.
    const reuse = await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe("invalid_grant");
    // Every token of the grant is gone, including the legitimate client's newest ones.
    expect(await active(third.body.access_token)).toBe(false);
    expect(await active(third.body.refresh_token)).toBe(false);
    expect((await token({ grant_type: "refresh_token", refresh_token: third.body.refresh_token })).body.error).toBe("invalid_grant");
  });

  it("belong to their client", async () => {
    const verifier = newVerifier();
    const callback = await consentedCallback(
      authorizeUrl(confidential.id, { code_challenge: s256(verifier), code_challenge_method: "S256" }),
    );
    const first = await exchange(callback.searchParams.get("code") ?? "", verifier);
    const other = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      scope: "openid offline_access",
      grant_types: ["authorization_code", "refresh_token"],
    });
    const stolen = await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token }, other);
    expect(stolen.body.error).toBe("invalid_grant");
  });
});

describe("PKCE", () => {
  it("refuses the plain method and unknown methods, for public and confidential clients", async () => {
    for (const [client, method] of [publicClient, confidential.id].flatMap((c) => ["plain", "S512", "s256"].map((m) => [c, m] as const))) {
      const verifier = newVerifier();
      const at = await consentedCallback(
        authorizeUrl(client, { code_challenge: method === "plain" ? verifier : s256(verifier), code_challenge_method: method }),
      );
      expect(at.toString().startsWith(REDIRECT_URI), method).toBe(true);
      expect(at.searchParams.get("error"), method).toBe("invalid_request");
      expect(at.searchParams.get("code"), method).toBeNull();
    }
  });

  it("refuses a public client without a challenge, and a challenge without a method is S256 or nothing", async () => {
    const none = await consentedCallback(authorizeUrl(publicClient, {}));
    expect(none.searchParams.get("error")).toBe("invalid_request");
    // RFC 7636 defaults a missing method to plain; plain is refused, so the request is too.
    const implicitPlain = await consentedCallback(authorizeUrl(publicClient, { code_challenge: newVerifier() }));
    expect(implicitPlain.searchParams.get("error")).toBe("invalid_request");
  });

  it("binds the code to the challenge: no verifier, a wrong verifier or the challenge itself are refused", async () => {
    const verifier = newVerifier();
    const challenge = s256(verifier);
    const codeFor = async () =>
      (await consentedCallback(authorizeUrl(publicClient, { code_challenge: challenge, code_challenge_method: "S256" }))).searchParams.get(
        "code",
      ) ?? "";
    for (const attempt of [undefined, newVerifier(), challenge, ""]) {
      const answer = await exchange(await codeFor(), attempt, { id: publicClient });
      expect(answer.body.error, String(attempt)).toMatch(/^invalid_(grant|request)$/);
    }
    expect((await exchange(await codeFor(), verifier, { id: publicClient })).status).toBe(200);
  });

  it("refuses a downgrade: a verifier on a code issued without a challenge", async () => {
    // A confidential client may skip PKCE (Hydra's enforced_for_public_clients); an attacker who stripped the
    // challenge from the authorization request cannot then pass a verifier of their own.
    const code = (await consentedCallback(authorizeUrl(confidential.id, {}))).searchParams.get("code") ?? "";
    const answer = await exchange(code, newVerifier());
    expect(answer.body.error).toMatch(/^invalid_(grant|request)$/);
  });
});

describe("redirect URIs", () => {
  const tricks = [
    `${REDIRECT_URI}/`,
    `${REDIRECT_URI}/extra`,
    `${REDIRECT_URI}x`,
    `${REDIRECT_URI}?next=x`,
    `${REDIRECT_URI}#fragment`,
    "http://rp.localhost:5555/Callback",
    "HTTP://rp.localhost:5555/callback",
    "http://RP.localhost:5555/callback",
    "https://rp.localhost:5555/callback",
    "http://rp.localhost:5556/callback",
    "http://rp.localhost:5555/other/../callback",
    "http://rp.localhost:5555/callback/..;/",
    "http://rp.localhost:5555%2F@evil.localhost/callback",
    "http://rp.localhost:5555@evil.localhost/callback",
    "http://evil.localhost/callback?http://rp.localhost:5555/callback",
    "http://rp.localhost:5555.evil.localhost/callback",
    "//rp.localhost:5555/callback",
    "/callback",
    " http://rp.localhost:5555/callback",
    "http://rp.localhost:5555/callback%00",
    "http://rp.localhost:5555/%63allback",
  ];

  it.each(tricks)("refuses %j and never sends the browser there", async (redirectUri) => {
    const url = authorizeUrl(confidential.id, {
      redirect_uri: redirectUri,
      code_challenge: s256(newVerifier()),
      code_challenge_method: "S256",
    });
    const browser = new TestBrowser();
    const result = await browser.navigate(url, (u) => !u.toString().startsWith(hydra.publicUrl));
    expect(result.url.toString().startsWith(ERROR_UI)).toBe(true);
    expect(result.url.searchParams.get("error")).toMatch(/^invalid_(redirect_uri|request)$/);
  });

  it("accepts the registered URI exactly", async () => {
    const at = await consentedCallback(
      authorizeUrl(confidential.id, { code_challenge: s256(newVerifier()), code_challenge_method: "S256" }),
    );
    expect(`${at.origin}${at.pathname}`).toBe(REDIRECT_URI);
    expect(at.searchParams.get("code")).toBeTruthy();
  });
});

describe("state and nonce", () => {
  it("return state byte for byte on success and on error, and put the nonce into the ID token", async () => {
    const state = "st/+ =&?#é😀" + "x".repeat(200);
    const nonce = "n-" + randomBytes(24).toString("base64url");
    const verifier = newVerifier();
    const callback = await consentedCallback(
      authorizeUrl(confidential.id, { state, nonce, code_challenge: s256(verifier), code_challenge_method: "S256" }),
    );
    expect(callback.searchParams.get("state")).toBe(state);
    const tokens = await exchange(callback.searchParams.get("code") ?? "", verifier);
    const claims = JSON.parse(Buffer.from((tokens.body.id_token ?? "").split(".")[1] ?? "", "base64url").toString()) as { nonce?: string };
    expect(claims.nonce).toBe(nonce);

    // Without a nonce there is no nonce claim (never one from another request).
    const v2 = newVerifier();
    const plain = await consentedCallback(
      authorizeUrl(confidential.id, { state: "state-0002", code_challenge: s256(v2), code_challenge_method: "S256" }),
    );
    const t2 = await exchange(plain.searchParams.get("code") ?? "", v2);
    const c2 = JSON.parse(Buffer.from((t2.body.id_token ?? "").split(".")[1] ?? "", "base64url").toString()) as { nonce?: string };
    expect(c2.nonce).toBeUndefined();

    // An error answer to the client carries the state too.
    const refused = await consentedCallback(authorizeUrl(publicClient, { state }));
    expect(refused.searchParams.get("error")).toBe("invalid_request");
    expect(refused.searchParams.get("state")).toBe(state);
  });

  it("keeps concurrent requests apart: each callback carries its own state, each ID token its own nonce", async () => {
    const runs = await Promise.all(
      ["a", "b", "c"].map(async (tag) => {
        const verifier = newVerifier();
        const callback = await consentedCallback(
          authorizeUrl(confidential.id, {
            state: `state-run-${tag}`,
            nonce: `nonce-run-${tag}`,
            code_challenge: s256(verifier),
            code_challenge_method: "S256",
          }),
          `user-${tag}`,
        );
        const tokens = await exchange(callback.searchParams.get("code") ?? "", verifier);
        const claims = JSON.parse(Buffer.from((tokens.body.id_token ?? "").split(".")[1] ?? "", "base64url").toString()) as {
          nonce: string;
          sub: string;
        };
        return { tag, state: callback.searchParams.get("state"), nonce: claims.nonce, sub: claims.sub };
      }),
    );
    for (const run of runs)
      expect(run).toEqual({ tag: run.tag, state: `state-run-${run.tag}`, nonce: `nonce-run-${run.tag}`, sub: `user-${run.tag}` });
  });
});
