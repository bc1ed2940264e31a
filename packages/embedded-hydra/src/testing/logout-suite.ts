import { startedForSuite } from "@olympus/server-kit/testing";
import { decodeJwt } from "jose";
import type * as oidc from "openid-client";
import { beforeEach } from "vitest";
import { LOGOUT_CLIENT_SCOPE, POST_LOGOUT_URI, startLogoutSuite, stopLogoutSuite, type LogoutSuite } from "./backchannel";
import type { TestBrowser } from "./browser";
import { ERROR_UI, nextLoginSkips, REDIRECT_URI } from "./oauth";
import { LOGOUT_UI, relyingParty, signIn, startsWith, type SignedIn } from "./sign-in";

/** urls.post_logout_redirect of the CIAM config: where a logout without post_logout_redirect_uri ends. */
export const LOGGED_OUT = "http://ciam.localhost:3000/logged-out";

/** A navigation stop at every page a logout can end on or wait at: the logout UI, the error UI, either post-logout page. */
export const LOGOUT_ANYWHERE = startsWith(LOGOUT_UI, ERROR_UI, LOGGED_OUT, POST_LOGOUT_URI);

/** A remembered (by default) sign-in of the suite's relying party, with the ID token's sid read out. */
export interface LogoutSignIn {
  config: oidc.Configuration;
  tokens: SignedIn["tokens"];
  idToken: string;
  /** The ID token's sid ("" when it has none). */
  sid: string;
}

/** The logout suite of the current test file, with what its tests do again and again (the functions may be destructured). */
export interface LogoutTestSuite extends LogoutSuite {
  /** The forms the back-channel receiver got since the current test began. */
  readonly delivered: URLSearchParams[];
  /** One whole authorization of `subject` in `browser` by the suite's client (or `options.client`), remembered unless told. */
  signedIn: (
    browser: TestBrowser,
    subject: string,
    options?: { remember?: boolean; client?: LogoutSuite["client"] },
  ) => Promise<LogoutSignIn>;
  /** Whether Hydra would skip the login UI for this browser's next authorization by the suite's client. */
  loginSkip: (browser: TestBrowser) => Promise<boolean>;
  /** The next logout token posted to the receiver (oidc-provider posts it without awaiting the browser's redirect). */
  nextLogoutToken: (timeoutMs?: number) => Promise<string>;
  /** Hydra's logout endpoint with these query parameters. */
  logoutUrl: (params: Record<string, string>) => string;
}

/**
 * Registers the logout tests' set-up with Vitest's hooks: a logout suite
 * (startLogoutSuite) for the whole file, its back-channel deliveries emptied
 * before each test, all of it stopped after the file. Call it once at the
 * top level of a test file; the instance is there from the first test on.
 */
export function useLogoutSuite(): LogoutTestSuite {
  const delivered: URLSearchParams[] = [];
  const current = startedForSuite("the logout suite", () => startLogoutSuite(delivered), stopLogoutSuite);
  beforeEach(() => {
    delivered.length = 0;
  });
  return {
    get receiver() {
      return current().receiver;
    },
    get postgres() {
      return current().postgres;
    },
    get hydra() {
      return current().hydra;
    },
    get client() {
      return current().client;
    },
    delivered,
    signedIn: async (browser, subject, { remember = true, client = current().client } = {}) => {
      const { hydra } = current();
      const config = await relyingParty(hydra, client.id, client.secret);
      const { tokens } = await signIn(hydra, browser, config, { subject, redirectUri: REDIRECT_URI, scope: LOGOUT_CLIENT_SCOPE, remember });
      const idToken = tokens.id_token ?? "";
      const sid = idToken ? decodeJwt(idToken).sid : undefined;
      return { config, tokens, idToken, sid: typeof sid === "string" ? sid : "" };
    },
    loginSkip: (browser) => nextLoginSkips(current().hydra, browser, current().client.id, LOGOUT_CLIENT_SCOPE),
    nextLogoutToken: async (timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const token = delivered.shift()?.get("logout_token");
        if (token) return token;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("no logout token arrived");
    },
    logoutUrl: (params) => {
      const url = new URL("oauth2/sessions/logout", current().hydra.publicUrl);
      url.search = new URLSearchParams(params).toString();
      return url.toString();
    },
  };
}
