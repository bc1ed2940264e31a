import { describe, expect, it } from "vitest";
import { exactOrigin, refuseForeignServerAction } from "./action-origin";

const HOST = "ciam.localhost:3001";

/** A request as the proxy sees it (Node's fetch would drop a Host header; Request keeps it). */
function post(headers: Record<string, string>): Request {
  return new Request(`http://127.0.0.1:3001/signin`, { method: "POST", headers: { host: HOST, ...headers } });
}

const fetchAction = { "next-action": "00a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4", "content-type": "text/plain;charset=UTF-8" };
const formPost = { "content-type": "multipart/form-data; boundary=----x" };

describe("exactOrigin", () => {
  it("accepts origins exactly as browsers write them", () => {
    for (const origin of ["http://ciam.localhost:3001", "https://admin.example.com", "http://127.0.0.1:4001", "http://[::1]:3000"]) {
      expect(exactOrigin(origin)).toBe(origin);
    }
  });

  it("refuses anything a browser would not send", () => {
    for (const value of [
      "not a url",
      "http://",
      "://",
      "http://[::1",
      "http://evil.example:99999",
      "%",
      "http://a b",
      "http://ciam.localhost:3001/x",
      "http://ciam.localhost:3001/",
      "HTTP://CIAM.localhost:3001",
      "http://ciam.localhost:80",
      "javascript:alert(1)",
      "data:,x",
      "",
    ]) {
      expect(exactOrigin(value), value).toBeUndefined();
    }
  });
});

describe("refuseForeignServerAction", () => {
  it("lets same-origin actions and form posts through to Next", () => {
    expect(refuseForeignServerAction(post({ ...fetchAction, origin: `http://${HOST}` }))).toBeUndefined();
    expect(refuseForeignServerAction(post({ ...formPost, origin: `http://${HOST}` }))).toBeUndefined();
  });

  it("compares with X-Forwarded-Host first, like Next", () => {
    const behindProxy = { ...fetchAction, "x-forwarded-host": "admin.example.com, internal:3001" };
    expect(refuseForeignServerAction(post({ ...behindProxy, origin: "https://admin.example.com" }))).toBeUndefined();
    expect(refuseForeignServerAction(post({ ...behindProxy, origin: `http://${HOST}` }))?.status).toBe(403);
  });

  it("lets a request without Origin through, as Next does (no browser credentials are at stake)", () => {
    expect(refuseForeignServerAction(post(fetchAction))).toBeUndefined();
  });

  it("refuses another site's action or form post with 403", () => {
    for (const origin of ["null", "http://evil.example", "http://ciam.localhost:3000", "http://iam.localhost:3001"]) {
      for (const headers of [fetchAction, formPost]) {
        expect(refuseForeignServerAction(post({ ...headers, origin })), origin).toEqual({
          status: 403,
          body: { error: { id: "cross_origin_request", code: 403, message: "Requests from another site are refused." } },
        });
      }
    }
  });

  it("refuses an Origin that is no origin with 400 instead of letting Next throw on it", () => {
    for (const origin of [
      "not a url",
      "http://[::1",
      "http://evil.example:99999",
      `http://${HOST}.evil.example`,
      `http://${HOST}/x`,
      "%",
    ]) {
      expect(refuseForeignServerAction(post({ ...fetchAction, origin }))?.status, origin).toBe(400);
      expect(refuseForeignServerAction(post({ ...formPost, origin }))?.body.error.id, origin).toBe("malformed_origin");
    }
  });

  it("leaves everything else alone: reads, url-encoded posts, other methods", () => {
    const origin = "http://evil.example";
    expect(refuseForeignServerAction(new Request("http://127.0.0.1:3001/", { headers: { host: HOST, origin } }))).toBeUndefined();
    expect(refuseForeignServerAction(post({ origin, "content-type": "application/x-www-form-urlencoded" }))).toBeUndefined();
    expect(
      refuseForeignServerAction(new Request("http://127.0.0.1:3001/", { method: "PUT", headers: { host: HOST, origin, ...fetchAction } })),
    ).toBeUndefined();
  });
});
