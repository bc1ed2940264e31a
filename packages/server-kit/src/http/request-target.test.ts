import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { goRequestTarget, requestTargetOf } from "./request-target";

function requestFor(method: string, url: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  return req;
}

describe("the request target as request.go readRequest parses it (url.ParseRequestURI)", () => {
  it("is parsed once per request, the first time it is asked for, and kept when a handler rewrites req.url", () => {
    const req = requestFor("GET", "/a%2Fb/c?x=1");
    const first = requestTargetOf(req);
    req.url = "/rewritten";
    expect(requestTargetOf(req)).toBe(first);
    expect(first).toMatchObject({ ok: true, url: { path: "/a/b/c", rawPath: "/a%2Fb/c", rawQuery: "x=1" } });
  });

  it("reads CONNECT's authority form as `http://host:port` and refuses what ParseRequestURI refuses", () => {
    expect(goRequestTarget("CONNECT", "example.com:443")).toMatchObject({ ok: true, url: { host: "example.com:443", path: "" } });
    expect(goRequestTarget("GET", "/a%zz").ok).toBe(false);
    expect(requestTargetOf(requestFor("GET", "/a%zz")).ok).toBe(false);
  });
});
