import { describe, expect, it } from "vitest";
import { createLogoutClient, LOGOUT_CLIENT_SCOPE, POST_LOGOUT_URI } from "./testing/backchannel";
import { TestBrowser } from "./testing/browser";
import { runCleanup } from "./testing/harness";
import { LOGGED_OUT, LOGOUT_ANYWHERE as ANYWHERE, useLogoutSuite } from "./testing/logout-suite";
import { ERROR_UI, REDIRECT_URI } from "./testing/oauth";
import { LOGOUT_UI } from "./testing/sign-in";

/**
 * Logout requests as Hydra v26.2 stores them (persistence/sql/persister_consent.go
 * GetLogoutRequest, AcceptLogoutRequest, RejectLogoutRequest,
 * VerifyAndInvalidateLogoutRequest; consent/handler.go getOAuth2LogoutRequest,
 * acceptOAuth2LogoutRequest, rejectOAuth2LogoutRequest), not as Hydra's later
 * stateless challenges: a rejected request is gone for reading, and only the
 * verifier's redemption looks at the expiry.
 */
/** sqlcon.ErrNoRows through Hydra's ErrorEnhancer (GetLogoutRequest finding nothing). */
const NO_ROWS = { error: "Unable to locate the resource", error_description: "" };
/** x.ErrNotFound (RejectLogoutRequest and VerifyAndInvalidateLogoutRequest updating nothing). */
const NOT_FOUND = { error: "Not Found", error_description: "Unable to locate the requested resource" };

const suite = useLogoutSuite();
const { signedIn, logoutUrl, loginSkip } = suite;

function adminCall(method: "GET" | "PUT", path: string, challenge: string): Promise<Response> {
  const suffix = path ? `/${path}` : "";
  return fetch(
    new URL(`admin/oauth2/auth/requests/logout${suffix}?logout_challenge=${encodeURIComponent(challenge)}`, suite.hydra.adminUrl),
    { method },
  );
}

async function answer(response: Promise<Response>): Promise<{ status: number; body: unknown }> {
  const done = await response;
  const text = await done.text();
  return { status: done.status, body: text ? (JSON.parse(text) as unknown) : "" };
}

const read = (challenge: string) => answer(adminCall("GET", "", challenge));
const accept = (challenge: string) => answer(adminCall("PUT", "accept", challenge));
const reject = (challenge: string) => answer(adminCall("PUT", "reject", challenge));

function field(body: unknown, name: string): string {
  const value: unknown = typeof body === "object" && body !== null ? Object.getOwnPropertyDescriptor(body, name)?.value : undefined;
  if (typeof value !== "string") throw new Error(`no ${name} in ${JSON.stringify(body)}`);
  return value;
}

const redirectTo = (body: unknown) => field(body, "redirect_to");

/** A signed-in browser and the logout challenge its logout led to: OP-initiated without a hint, RP-initiated with one. */
async function logoutChallenge(
  subject: string,
  rpInitiated: boolean,
  of: { id: string; secret: string } = suite.client,
): Promise<{ browser: TestBrowser; challenge: string }> {
  const browser = new TestBrowser();
  const { idToken, sid } = await signedIn(browser, subject, { client: of });
  const url = logoutUrl(rpInitiated ? { id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT_URI } : {});
  const atUi = await browser.navigate(url, ANYWHERE);
  expect(`${atUi.url.origin}${atUi.url.pathname}`).toBe(LOGOUT_UI);
  expect(sid).toBeTruthy();
  return { browser, challenge: atUi.url.searchParams.get("logout_challenge") ?? "" };
}

/** Moves the stored expiry of a logout request into the past, as if its lifespan had passed. */
async function expire(challenge: string): Promise<void> {
  const database = new URL(suite.hydra.dsn).pathname.slice(1);
  await suite.postgres.query("UPDATE hydra_flows SET expires_at = now() - interval '1 hour' WHERE challenge = $1", [challenge], database);
}

function errorAt(url: URL): { error: string | null; error_description: string | null } {
  expect(`${url.origin}${url.pathname}`).toBe(ERROR_UI);
  return { error: url.searchParams.get("error"), error_description: url.searchParams.get("error_description") };
}

describe("unknown logout challenges (persister_consent.go)", () => {
  it("GetLogoutRequest and AcceptLogoutRequest answer sqlcon.ErrNoRows, RejectLogoutRequest x.ErrNotFound", async () => {
    expect(await read("no-such-challenge")).toEqual({ status: 404, body: NO_ROWS });
    expect(await accept("no-such-challenge")).toEqual({ status: 404, body: NO_ROWS });
    expect(await reject("no-such-challenge")).toEqual({ status: 404, body: NOT_FOUND });
    // No challenge at all is looked up as "" (consent/handler.go reads logout_challenge or challenge).
    expect(await read("")).toEqual({ status: 404, body: NO_ROWS });
  });
});

describe("challenge and verifier (consent/strategy_default.go issueLogoutVerifier: ID and Verifier are pborman/uuid.New())", () => {
  /** pborman/uuid.New(): a random (version 4, RFC 4122 variant) UUID in lower-case canonical form. */
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it.each([
    ["OP-initiated", false],
    ["RP-initiated", true],
  ])("an %s logout request's challenge and verifier are distinct random UUIDs", async (_, rpInitiated) => {
    const { challenge } = await logoutChallenge(`uuid-${String(rpInitiated)}`, rpInitiated);
    expect(challenge).toMatch(UUID_V4);
    expect(field((await read(challenge)).body, "challenge")).toBe(challenge);
    // acceptOAuth2LogoutRequest: `<public>/oauth2/sessions/logout?logout_verifier=<Verifier>`.
    const verifierUrl = new URL(redirectTo((await accept(challenge)).body));
    expect(`${verifierUrl.origin}${verifierUrl.pathname}`).toBe(new URL("oauth2/sessions/logout", suite.hydra.publicUrl).toString());
    const verifier = verifierUrl.searchParams.get("logout_verifier") ?? "";
    expect(verifier).toMatch(UUID_V4);
    expect(verifier).not.toBe(challenge);
  });

  it("a challenge or verifier that is no stored UUID is simply not found", async () => {
    // GetLogoutRequest / VerifyAndInvalidateLogoutRequest compare text columns: any other string matches nothing.
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await read(unknown)).toEqual({ status: 404, body: NO_ROWS });
    expect(await read(unknown.toUpperCase())).toEqual({ status: 404, body: NO_ROWS });
    const browser = new TestBrowser();
    expect(errorAt((await browser.navigate(logoutUrl({ logout_verifier: unknown }), ANYWHERE)).url)).toEqual(NOT_FOUND);
  });
});

describe("rejecting (RejectLogoutRequest sets rejected, GetLogoutRequest reads `rejected = FALSE` only)", () => {
  it("a rejected request is 404 to read, can be rejected again, and accepting it brings it back", async () => {
    const { challenge } = await logoutChallenge("rejected-user", false);
    expect(await reject(challenge)).toEqual({ status: 204, body: "" });
    expect(await read(challenge)).toEqual({ status: 404, body: NO_ROWS });
    // The UPDATE still matches the row: 204 again.
    expect(await reject(challenge)).toEqual({ status: 204, body: "" });
    // AcceptLogoutRequest sets accepted=true, rejected=false, then reads it: readable again.
    const accepted = await accept(challenge);
    expect(accepted.status).toBe(200);
    expect((await read(challenge)).status).toBe(200);
  });

  it("rejecting after accepting leaves the verifier with nothing to redeem (x.ErrNotFound at the error UI)", async () => {
    // VerifyAndInvalidateLogoutRequest only matches `accepted = TRUE AND rejected = FALSE`.
    const { browser, challenge } = await logoutChallenge("accepted-then-rejected", false);
    const verifierUrl = redirectTo((await accept(challenge)).body);
    expect(await reject(challenge)).toEqual({ status: 204, body: "" });
    expect(errorAt((await browser.navigate(verifierUrl, ANYWHERE)).url)).toEqual(NOT_FOUND);
  });
});

describe("accepting (AcceptLogoutRequest, acceptOAuth2LogoutRequest)", () => {
  it("answers the same verifier every time, also after it was redeemed; reading a redeemed request is 410 with request_url", async () => {
    const { browser, challenge } = await logoutChallenge("accepted-twice", false);
    const requestUrl = field((await read(challenge)).body, "request_url");
    const first = await accept(challenge);
    const second = await accept(challenge);
    expect(first.status).toBe(200);
    expect(second).toEqual(first);

    expect((await browser.navigate(redirectTo(first.body), ANYWHERE)).url.toString()).toBe(LOGGED_OUT);
    // getOAuth2LogoutRequest: WasHandled (was_used) is 410 Gone with the request's request_url.
    const gone = await read(challenge);
    expect(gone.status).toBe(410);
    expect(gone.body).toEqual({ redirect_to: requestUrl });
    expect(await accept(challenge)).toEqual(first);

    // VerifyAndInvalidateLogoutRequest does not look at was_used: the verifier redeems again, and completeLogout
    // finds no session in this browser any more, so it only redirects.
    expect((await browser.navigate(redirectTo(first.body), ANYWHERE)).url.toString()).toBe(LOGGED_OUT);
  });
});

describe("a redeemed RP-initiated verifier, redeemed again (VerifyAndInvalidateLogoutRequest does not check was_used)", () => {
  it("still revokes the authentication cookie of the browser that follows it (completeLogout), though the hinted session is gone", async () => {
    const { browser, challenge } = await logoutChallenge("rp-replayed", true);
    const verifierUrl = redirectTo((await accept(challenge)).body);
    expect((await browser.navigate(verifierUrl, ANYWHERE)).url.toString()).toBe(POST_LOGOUT_URI);

    const othersBrowser = new TestBrowser();
    await signedIn(othersBrowser, "rp-replay-victim");
    expect(await loginSkip(othersBrowser)).toBe(true);
    expect((await othersBrowser.navigate(verifierUrl, ANYWHERE)).url.toString()).toBe(POST_LOGOUT_URI);
    expect(await loginSkip(othersBrowser)).toBe(false);
  });
});

describe("expiry (only VerifyAndInvalidateLogoutRequest checks ExpiresAt)", () => {
  it("an expired OP-initiated request can still be read and accepted, but its verifier is request_unauthorized", async () => {
    const { browser, challenge } = await logoutChallenge("expired-op", false);
    await expire(challenge);
    expect((await read(challenge)).status).toBe(200);
    const accepted = await accept(challenge);
    expect(accepted.status).toBe(200);
    expect(errorAt((await browser.navigate(redirectTo(accepted.body), ANYWHERE)).url)).toEqual({
      error: "request_unauthorized",
      error_description: "The request could not be authorized. The logout request has expired, please try the flow again.",
    });
    // flow/error.go ErrorLogoutFlowExpired comes after the UPDATE set was_used.
    expect((await read(challenge)).status).toBe(410);
    // Hydra's janitor never flushes logout requests: the periodic cleanup keeps it.
    await runCleanup(suite.hydra);
    expect((await read(challenge)).status).toBe(410);
  });

  it("an RP-initiated request has no expiry (issueLogoutVerifier leaves ExpiresAt unset): its verifier still logs out", async () => {
    const { browser, challenge } = await logoutChallenge("expired-rp", true);
    await expire(challenge);
    expect(await read(challenge)).toMatchObject({ status: 200, body: { rp_initiated: true, expires_at: null } });
    const accepted = await accept(challenge);
    expect((await browser.navigate(redirectTo(accepted.body), ANYWHERE)).url.toString()).toBe(POST_LOGOUT_URI);
  });
});

describe("the client of an RP-initiated request (flow.LogoutRequest AfterFind, client_id ON DELETE CASCADE)", () => {
  it("is shown as it is now, and once deleted the request is gone for reading, rejecting and redeeming", async () => {
    const own = await createLogoutClient(suite.hydra, {
      redirectUri: REDIRECT_URI,
      postLogoutUri: POST_LOGOUT_URI,
      scope: LOGOUT_CLIENT_SCOPE,
      backchannelUrl: suite.receiver.url,
    });
    const { browser, challenge } = await logoutChallenge("client-deleted", true, own);
    await suite.hydra.admin.patchOAuth2Client({ id: own.id, jsonPatch: [{ op: "replace", path: "/client_name", value: "Renamed" }] });
    expect(await read(challenge)).toMatchObject({ status: 200, body: { client: { client_id: own.id, client_name: "Renamed" } } });
    const verifierUrl = redirectTo((await accept(challenge)).body);

    await suite.hydra.admin.deleteOAuth2Client({ id: own.id });
    expect(await read(challenge)).toEqual({ status: 404, body: NO_ROWS });
    expect(await accept(challenge)).toEqual({ status: 404, body: NO_ROWS });
    expect(await reject(challenge)).toEqual({ status: 404, body: NOT_FOUND });
    expect(errorAt((await browser.navigate(verifierUrl, ANYWHERE)).url)).toEqual(NOT_FOUND);
  });
});
