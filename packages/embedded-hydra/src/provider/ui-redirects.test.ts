import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";

/**
 * Hydra's own browser redirects are net/http's Redirect (server.go) with
 * 302: the login UI (consent/strategy_default.go
 * forwardAuthenticationRequest), the logout redirect
 * (issueLogoutVerifier), the error UI (oauth2/handler.go forwardError).
 * A GET gets text/html and the note `<a href="…">Found</a>.` with two
 * newlines; a POST neither (Content-Length: 0).
 */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(base: string, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: "text/html" };
    if (body !== undefined) headers["Content-Type"] = "application/x-www-form-urlencoded";
    const req = request(new URL(path, base), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** http.htmlEscape. */
const htmlEscape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c] ?? c);

function expectGoRedirectNote(answer: Answer): void {
  expect(answer.status).toBe(302);
  expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
  expect(answer.body).toBe(`<a href="${htmlEscape(String(answer.headers.location))}">Found</a>.\n\n`);
}

const REDIRECT_URI = "http://rp.localhost:5555/callback";
let postgres: TestPostgres;
let hydra: HydraUnderTest;
let authorize: URLSearchParams;

beforeAll(async () => {
  ({ postgres, hydra } = await startHydraWithPostgres());
  const client = await createClient(hydra, { redirect_uris: [REDIRECT_URI], scope: "openid", grant_types: ["authorization_code"] });
  authorize = new URLSearchParams({
    client_id: client.id,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "openid",
    state: "state-long-enough",
  });
});
afterAll(() => stopHydraAndPostgres(hydra, postgres));

describe("http.Redirect's answer on Hydra's own redirects", () => {
  it("the redirect to the login UI carries the note on a GET, and nothing on a POST", async () => {
    const get = await send(hydra.publicUrl, "GET", `/oauth2/auth?${authorize.toString()}`);
    expect(String(get.headers.location)).toMatch(/login_challenge=/);
    expectGoRedirectNote(get);
    const post = await send(hydra.publicUrl, "POST", "/oauth2/auth", authorize.toString());
    expect(post.status).toBe(302);
    expect(String(post.headers.location)).toMatch(/login_challenge=/);
    expect(post.headers["content-type"]).toBeUndefined();
    expect(post.headers["content-length"]).toBe("0");
    expect(post.body).toBe("");
  });

  it("a HEAD gets the Location and Content-Type but no body and no Content-Length (chunkWriter.writeHeader: `!isHEAD || len(p) > 0`)", async () => {
    for (const path of [`/oauth2/auth?${authorize.toString()}`, "/oauth2/sessions/logout"]) {
      const head = await send(hydra.publicUrl, "HEAD", path);
      expect([path, head.status, head.headers["content-type"], head.body]).toEqual([path, 302, "text/html; charset=utf-8", ""]);
      expect(String(head.headers.location)).not.toBe("");
      expect(head.headers["content-length"]).toBeUndefined();
      expect(head.headers["transfer-encoding"]).toBeUndefined();
    }
  });

  it("the logout redirect without a session and the error UI carry it too", async () => {
    expectGoRedirectNote(await send(hydra.publicUrl, "GET", "/oauth2/sessions/logout"));
    const error = await send(hydra.publicUrl, "GET", "/oauth2/auth?client_id=unknown&response_type=code&state=state-long-enough");
    expect(String(error.headers.location)).toMatch(/error=invalid_client/);
    expectGoRedirectNote(error);
  });
});
