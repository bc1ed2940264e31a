import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { challengeAt, deviceAtLogin, startDeviceSuite, type DeviceClient } from "./testing/device";
import { createClient } from "./testing/clients";
import { runCleanup, startHydraWithTtl, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { ANYWHERE, authorizeUrl, REDIRECT_URI } from "./testing/oauth";
import { acceptConsentChallenge, acceptLoginChallenge } from "./testing/verifiers";

/**
 * Verifiers of flows the periodic cleanup deleted. Hydra's verifier is the
 * flow, encrypted (flow/flow_encoding.go decodeVerifier → decodeFlow): past
 * ttl.login_consent_request it still decodes and is answered
 * `request_unauthorized` "The … request has expired, please try again.",
 * however long ago; text it never issued does not decode and is
 * `access_denied` "The … verifier has already been used, has not been
 * granted, or is invalid.", as is a verifier of another purpose (a consent
 * verifier sent as login verifier). The browser's answers go to the client
 * (oauth2/handler.go writeAuthorizeError), the device flow's are fosite's
 * JSON (consent/strategy_default.go HandleOAuth2DeviceAuthorizationRequest).
 */
const TTL_SECONDS = 3;
const expired = (kind: string) => `The request could not be authorized. The ${kind} request has expired, please try again.`;
const invalid = (kind: string) =>
  `The resource owner or authorization server denied the request. The ${kind} verifier has already been used, has not been granted, or is invalid.`;

let postgres: TestPostgres;
let hydra: HydraUnderTest;
let clientId: string;
let device: DeviceClient;

/** A browser authorization up to an accepted consent: the login verifier (followed once) and the consent verifier. */
async function browserVerifiers(
  browser: TestBrowser,
): Promise<{ loginChallenge: string; consentChallenge: string; login: string; consent: string }> {
  const loginChallenge = await challengeAt(browser, authorizeUrl(hydra, clientId, { state: "deleted-flow" }), "login");
  const login = await acceptLoginChallenge(hydra, loginChallenge, { subject: "deleted-flow-user" });
  const consentChallenge = await challengeAt(browser, login, "consent");
  return { loginChallenge, consentChallenge, login, consent: await acceptConsentChallenge(hydra, consentChallenge) };
}

/** A device authorization up to an accepted consent: the device flow's device, login and consent verifier URLs. */
async function deviceVerifiers(browser: TestBrowser): Promise<{ device: string; login: string; consent: string }> {
  const { deviceVerifierUrl, loginChallenge } = await deviceAtLogin(hydra, device, browser);
  const login = await acceptLoginChallenge(hydra, loginChallenge, { subject: "deleted-device-user" });
  const consent = await acceptConsentChallenge(hydra, await challengeAt(browser, login, "consent"));
  return { device: deviceVerifierUrl, login, consent };
}

async function flowCount(challenge: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: hydra.dsn });
  try {
    const result = await pool.query<{ count: string }>("SELECT count(*) FROM hydra_flows WHERE challenge = $1", [challenge]);
    return Number(result.rows[0]?.count);
  } finally {
    await pool.end();
  }
}

function errorAt(url: URL): { at: string; error: string | null; error_description: string | null } {
  return {
    at: `${url.origin}${url.pathname}`,
    error: url.searchParams.get("error"),
    error_description: url.searchParams.get("error_description"),
  };
}

/** The URL with its `name` parameter replaced by `value`. */
function withParam(target: string, name: string, value: string): string {
  const url = new URL(target);
  url.searchParams.set(name, value);
  return url.toString();
}

beforeAll(async () => {
  ({
    postgres,
    hydra,
    client: device,
  } = await startDeviceSuite((server) => startHydraWithTtl(server, { login_consent_request: `${TTL_SECONDS}s` })));
  clientId = (await createClient(hydra, { redirect_uris: [REDIRECT_URI], scope: "openid", grant_types: ["authorization_code"] })).id;
});
afterAll(() => stopHydraAndPostgres(hydra, postgres));

describe("verifiers of a flow the cleanup deleted (flow/flow_encoding.go decodeVerifier, decodeFlow)", () => {
  it("answers them as expired, in the browser and in the device flow, and text never issued as invalid", async () => {
    const browser = new TestBrowser();
    const issued = await browserVerifiers(browser);
    const deviceBrowser = new TestBrowser();
    const deviceIssued = await deviceVerifiers(deviceBrowser);
    await new Promise((resolve) => setTimeout(resolve, (TTL_SECONDS + 1.5) * 1000));
    await runCleanup(hydra);
    expect(await flowCount(issued.loginChallenge)).toBe(0);

    // consent/handler.go getOAuth2LoginRequest / getOAuth2ConsentRequest → DecodeFrom…Challenge → decodeFlow: still
    // 401; text of a challenge's shape never issued does not decode (x.ErrNotFound).
    const notFound = { status: 404, body: { error: "Not Found", error_description: "Unable to locate the requested resource" } };
    for (const [kind, challenge, expected] of [
      ["login", issued.loginChallenge, { status: 401, body: { error: "request_unauthorized", error_description: expired("login") } }],
      ["consent", issued.consentChallenge, { status: 401, body: { error: "request_unauthorized", error_description: expired("consent") } }],
      ["login", randomBytes(42).toString("base64url"), notFound],
    ] as const) {
      const url = new URL(`admin/oauth2/auth/requests/${kind}`, hydra.adminUrl);
      url.searchParams.set(`${kind}_challenge`, challenge);
      const response = await fetch(url);
      const body: unknown = await response.json();
      expect({ status: response.status, body }).toEqual(expected);
    }

    // consent/strategy_default.go verifyAuthentication / verifyConsent → decodeFlow: request_unauthorized to the client.
    const login = await browser.navigate(issued.login, ANYWHERE);
    expect(errorAt(login.url)).toEqual({ at: REDIRECT_URI, error: "request_unauthorized", error_description: expired("login") });
    const consent = await browser.navigate(issued.consent, ANYWHERE);
    expect(errorAt(consent.url)).toEqual({ at: REDIRECT_URI, error: "request_unauthorized", error_description: expired("consent") });

    // A verifier of another purpose, and text of a verifier's shape never issued: decodeVerifier's access_denied.
    const consentVerifier = new URL(issued.consent).searchParams.get("consent_verifier") ?? "";
    const asLogin = await browser.navigate(withParam(issued.login, "login_verifier", consentVerifier), ANYWHERE);
    expect(errorAt(asLogin.url)).toEqual({ at: REDIRECT_URI, error: "access_denied", error_description: invalid("login") });
    const forged = await browser.navigate(withParam(issued.consent, "consent_verifier", randomBytes(42).toString("base64url")), ANYWHERE);
    expect(errorAt(forged.url)).toEqual({ at: REDIRECT_URI, error: "access_denied", error_description: invalid("consent") });
    // The expiry it carries is authenticated: a changed byte is text never issued.
    const edited = consentVerifier.slice(0, 30) + (consentVerifier[30] === "A" ? "B" : "A") + consentVerifier.slice(31);
    const tampered = await browser.navigate(withParam(issued.consent, "consent_verifier", edited), ANYWHERE);
    expect(errorAt(tampered.url)).toEqual({ at: REDIRECT_URI, error: "access_denied", error_description: invalid("consent") });

    // The device flow writes the same errors to the browser as fosite's JSON (HandleOAuth2DeviceAuthorizationRequest).
    const deviceVerifier = await deviceBrowser.request(deviceIssued.device);
    expect(deviceVerifier.status).toBe(401);
    expect(await deviceVerifier.json()).toEqual({ error: "request_unauthorized", error_description: expired("device") });
    const deviceLogin = await deviceBrowser.request(deviceIssued.login);
    expect(deviceLogin.status).toBe(401);
    expect(await deviceLogin.json()).toEqual({ error: "request_unauthorized", error_description: expired("login") });
    const deviceConsent = await deviceBrowser.request(deviceIssued.consent);
    expect(deviceConsent.status).toBe(401);
    expect(await deviceConsent.json()).toEqual({ error: "request_unauthorized", error_description: expired("consent") });
    const deviceForged = await deviceBrowser.request(
      withParam(deviceIssued.login, "login_verifier", randomBytes(42).toString("base64url")),
    );
    expect(deviceForged.status).toBe(403);
    expect(await deviceForged.json()).toEqual({ error: "access_denied", error_description: invalid("login") });
  });
});
