import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { loadDemoConfig } from "./config";
import type { Intent, PendingAuthorization, RelyingParty, SignedInCustomer } from "./relying-party";
import { createDemoServer } from "./server";

const config = loadDemoConfig({
  DEMO_ISSUER_URL: "http://ciam.localhost:3102/",
  DEMO_CLIENT_ID: "ciam-demo-rp",
  DEMO_CLIENT_SECRET: "secret",
  DEMO_PUBLIC_URL: "http://ciam.localhost:3002",
  DEMO_PORT: "3002",
});

/** A relying party that records what the server asks of it; the real one is exercised by e2e/demo. */
class StubRelyingParty implements RelyingParty {
  started: Intent[] = [];
  finished: { callbackUrl: string; pending: PendingAuthorization }[] = [];
  customer: SignedInCustomer = {
    subject: "identity-1",
    email: "ada@example.com",
    claims: { sub: "identity-1", email: "ada@example.com", name: "<script>alert(1)</script>" },
    idToken: "id.token.value",
  };
  failWith: Error | undefined;

  async startAuthorization(intent: Intent) {
    this.started.push(intent);
    const pending = { intent, state: `state-${this.started.length}`, nonce: "n", codeVerifier: "v" };
    return { url: new URL(`http://ciam.localhost:3102/oauth2/auth?state=${pending.state}&intent=${intent}`), pending };
  }
  async finishAuthorization(callbackUrl: URL, pending: PendingAuthorization) {
    if (this.failWith) throw this.failWith;
    this.finished.push({ callbackUrl: callbackUrl.href, pending });
    return this.customer;
  }
  async logoutUrl(idToken: string) {
    return new URL(`http://ciam.localhost:3102/oauth2/sessions/logout?id_token_hint=${idToken}`);
  }
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function start(rp: RelyingParty): Promise<string> {
  server = createDemoServer({ config, relyingParty: rp, log: () => {} });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A tiny cookie jar: enough to act like one browser. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(path: string, method = "GET") {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(`${this.base}${path}`, { method, redirect: "manual", headers: cookie ? { cookie } : {} });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/Max-Age=0/.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, location: response.headers.get("location"), headers: response.headers, html: await response.text() };
  }
}

async function signIn(browser: Browser, rp: StubRelyingParty, intent: "signin" | "signup" = "signin") {
  const started = await browser.request(`/${intent}`);
  const state = new URL(started.location ?? "").searchParams.get("state");
  return browser.request(`/callback?code=c-1&state=${state}&iss=x`);
}

describe("demo relying party server", () => {
  it("offers sign-up and sign-in to a visitor, with the security headers on every page", async () => {
    const browser = new Browser(await start(new StubRelyingParty()));
    const home = await browser.request("/");
    expect(home.status).toBe(200);
    expect(home.html).toContain('data-testid="sign-up"');
    expect(home.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(home.headers.get("cache-control")).toBe("no-store");
    expect(home.headers.get("referrer-policy")).toBe("no-referrer");
    expect(home.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("starts a sign-up at Hydra and keeps its secrets server-side behind an HttpOnly cookie", async () => {
    const rp = new StubRelyingParty();
    const browser = new Browser(await start(rp));
    const response = await browser.request("/signup");
    expect(response.status).toBe(303);
    expect(response.location).toContain("intent=signup");
    expect(rp.started).toEqual(["signup"]);
    const setCookie = response.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/^demo_authorization=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    expect(setCookie).not.toContain("state-1");
  });

  it("finishes the authorization at the public callback URL, signs in with a fresh session and shows the claims escaped", async () => {
    const rp = new StubRelyingParty();
    const browser = new Browser(await start(rp));
    const callback = await signIn(browser, rp, "signup");
    expect(callback.status).toBe(303);
    expect(callback.location).toBe("/");
    expect(rp.finished[0]?.callbackUrl).toBe("http://ciam.localhost:3002/callback?code=c-1&state=state-1&iss=x");
    expect(rp.finished[0]?.pending).toMatchObject({ intent: "signup", state: "state-1" });
    expect(browser.cookies.has("demo_authorization")).toBe(false);

    const home = await browser.request("/");
    expect(home.html).toContain('<strong data-testid="email">ada@example.com</strong>');
    expect(home.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(home.html).not.toContain("<script>alert(1)");
  });

  it("accepts each authorization once: a replayed or unknown callback is refused", async () => {
    const rp = new StubRelyingParty();
    const browser = new Browser(await start(rp));
    const started = await browser.request("/signin");
    const authorization = browser.cookies.get("demo_authorization") ?? "";
    expect((await browser.request(`/callback?code=c&state=${new URL(started.location ?? "").searchParams.get("state")}`)).status).toBe(303);
    browser.cookies.set("demo_authorization", authorization);
    const replay = await browser.request("/callback?code=c&state=state-1");
    expect(replay.status).toBe(400);
    expect(replay.html).toContain("Please start again");
    expect((await new Browser(browser.base).request("/callback?code=c&state=s")).status).toBe(400);
    expect(rp.finished).toHaveLength(1);
  });

  it("replaces the session id at every sign-in (no fixation)", async () => {
    const rp = new StubRelyingParty();
    const browser = new Browser(await start(rp));
    await signIn(browser, rp);
    const first = browser.cookies.get("demo_session") ?? "";
    await signIn(browser, rp);
    expect(browser.cookies.get("demo_session")).not.toBe(first);
    const stale = new Browser(browser.base);
    stale.cookies.set("demo_session", first);
    expect((await stale.request("/")).html).toContain('data-testid="signed-out"');
  });

  it("signs out with POST only: ends the local session and continues with RP-initiated logout", async () => {
    const rp = new StubRelyingParty();
    const browser = new Browser(await start(rp));
    await signIn(browser, rp);
    const session = browser.cookies.get("demo_session") ?? "";
    expect((await browser.request("/signout")).status).toBe(405);

    const out = await browser.request("/signout", "POST");
    expect(out.status).toBe(303);
    expect(out.location).toBe("http://ciam.localhost:3102/oauth2/sessions/logout?id_token_hint=id.token.value");
    expect(browser.cookies.has("demo_session")).toBe(false);
    const again = new Browser(browser.base);
    again.cookies.set("demo_session", session);
    expect((await again.request("/")).html).toContain('data-testid="signed-out"');
    // Nothing to log out from: straight home.
    expect((await again.request("/signout", "POST")).location).toBe("/");
  });

  it("answers an unreachable identity provider with a friendly 503, never a stack trace", async () => {
    const rp = new StubRelyingParty();
    const browser = new Browser(await start(rp));
    await browser.request("/signin");
    rp.failWith = new TypeError("fetch failed at secret-internal-host");
    const response = await browser.request("/callback?code=c&state=state-1");
    expect(response.status).toBe(503);
    expect(response.html).toContain("cannot be reached");
    expect(response.html).not.toContain("secret-internal-host");
  });

  it("answers unknown paths with 404", async () => {
    const browser = new Browser(await start(new StubRelyingParty()));
    expect((await browser.request("/admin")).status).toBe(404);
  });
});
