import { afterEach, describe, expect, it, vi } from "vitest";
import { withAuthRouteErrors } from "./next-auth-route";

const URL_BASE = "http://127.0.0.1:4001/api/auth";
const context = { params: Promise.resolve({ nextauth: ["session"] }) };

/** What next-auth v4 itself answers in each case (next-auth/next + next-auth/core). */
const nextAuthSaysUnsupported = () => new Response("Error: This action with HTTP GET is not supported by NextAuth.js", { status: 400 });
const nextAuthSaysObject = () =>
  new Response("[object Object]", { status: 400, headers: { "Set-Cookie": "athena.csrf=abc; Path=/; HttpOnly" } });

const LEAKS = /NextAuth|Error:|\bat \S+ \(|node_modules|\.next\/|\[object Object\]|SyntaxError/;

afterEach(() => vi.restoreAllMocks());

describe("withAuthRouteErrors", () => {
  it("answers an action next-auth does not know in JSON, without its own words", async () => {
    const response = await withAuthRouteErrors(async () => nextAuthSaysUnsupported())(new Request(`${URL_BASE}/bogus`), context);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(LEAKS);
    expect(JSON.parse(text)).toEqual({ error: { id: "invalid_request", code: 400, message: "This sign-in request is not valid." } });
  });

  it("keeps next-auth's cookies when it replaces the body", async () => {
    const response = await withAuthRouteErrors(async () => nextAuthSaysObject())(
      new Request(`${URL_BASE}/session`, { method: "POST" }),
      context,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(LEAKS);
    expect(response.headers.getSetCookie()).toEqual(["athena.csrf=abc; Path=/; HttpOnly"]);
  });

  it("refuses a JSON body that does not parse with 400, before next-auth throws on it", async () => {
    const handle = vi.fn(async () => new Response("{}"));
    const request = new Request(`${URL_BASE}/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{bad" });
    const response = await withAuthRouteErrors(handle)(request, context);
    expect(response.status).toBe(400);
    expect((await response.json()).error.id).toBe("invalid_request");
    expect(handle).not.toHaveBeenCalled();
  });

  it("hands a valid JSON body on, still readable", async () => {
    const handle = vi.fn(async (request: Request) => Response.json(await request.json()));
    const request = new Request(`${URL_BASE}/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"csrfToken":"x"}',
    });
    const response = await withAuthRouteErrors(handle)(request, context);
    expect(await response.json()).toEqual({ csrfToken: "x" });
  });

  it("turns a throw into a generic 500 and logs only the message", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await withAuthRouteErrors(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    })(new Request(`${URL_BASE}/callback/olympus-iam`), context);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/ECONNREFUSED|5432/);
    expect(JSON.parse(text).error.id).toBe("internal_error");
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toEqual({
      level: "error",
      msg: "next-auth request failed",
      path: "/api/auth/callback/olympus-iam",
      error: "connect ECONNREFUSED 127.0.0.1:5432",
    });
  });

  it("passes redirects, JSON answers and next-auth's own JSON errors through unchanged", async () => {
    const answers = [
      new Response(null, { status: 302, headers: { Location: "/signin?csrf=true" } }),
      Response.json({ csrfToken: "t" }),
      Response.json(
        { message: "There is a problem with the server configuration. Check the server logs for more information." },
        { status: 500 },
      ),
    ];
    for (const answer of answers) {
      const response = await withAuthRouteErrors(async () => answer)(new Request(`${URL_BASE}/csrf`), context);
      expect(response).toBe(answer);
    }
  });
});
