import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchangeRaw } from "../testing/fuzz/raw-http";
import { goRedirect, goRedirectAnswer } from "./go-redirect";

describe("http.Redirect (net/http server.go Redirect)", () => {
  it("writes the HTML note on a GET only, text/html on GET and HEAD, nothing once the handler set a Content-Type", () => {
    const url = "https://ui.example/login?login_challenge=a&b=<x>";
    expect(goRedirectAnswer("GET", "/oauth2/auth", url, 302)).toEqual({
      location: url,
      contentType: "text/html; charset=utf-8",
      body: '<a href="https://ui.example/login?login_challenge=a&amp;b=&lt;x&gt;">Found</a>.\n\n',
    });
    expect(goRedirectAnswer("HEAD", "/", url, 303)).toEqual({ location: url, contentType: "text/html; charset=utf-8", body: "" });
    expect(goRedirectAnswer("POST", "/", url, 303)).toEqual({ location: url, contentType: undefined, body: "" });
    expect(goRedirectAnswer("GET", "/", url, 303, true)).toEqual({ location: url, contentType: undefined, body: "" });
    expect(goRedirectAnswer("GET", "/", "https://x/'\"", 307).body).toBe('<a href="https://x/&#39;&#34;">Temporary Redirect</a>.\n\n');
  });

  it("hex-escapes bytes beyond ASCII in Location in lower case (hexEscapeNonASCII), not in the note", () => {
    const answer = goRedirectAnswer("GET", "/", "https://x/é?q=ü", 303);
    expect(answer.location).toBe("https://x/%c3%a9?q=%c3%bc");
    expect(answer.body).toBe('<a href="https://x/é?q=ü">See Other</a>.\n\n');
  });

  it("makes a URL without scheme and host absolute against the request path, cleaned, its trailing slash and query kept", () => {
    expect(goRedirectAnswer("POST", "/a/b/c", "d/../e/?x=/../", 302).location).toBe("/a/b/e/?x=/../");
    expect(goRedirectAnswer("POST", "/a/b/", "../c", 302).location).toBe("/a/c");
    expect(goRedirectAnswer("POST", "/a", "//host/p", 302).location).toBe("//host/p");
    expect(goRedirectAnswer("POST", "/a", "/x//y/./", 302).location).toBe("/x/y/");
  });

  describe("on the wire", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((req, res) => goRedirect(req, res, "https://ui.example/done?x=1&y=2", 302, { "Set-Cookie": "c=1" }));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it("sends Location, the handler's headers, Content-Type and the note's length, as Go's server does", async () => {
      const get = await exchangeRaw(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      expect(get).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
      expect(get).toContain("Location: https://ui.example/done?x=1&y=2\r\n");
      expect(get).toContain("Content-Type: text/html; charset=utf-8\r\n");
      expect(get).toContain("Set-Cookie: c=1\r\n");
      expect(get).toContain('\r\n\r\n<a href="https://ui.example/done?x=1&amp;y=2">Found</a>.\n\n');
      const post = await exchangeRaw(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      expect(post).toContain("Content-Length: 0\r\n");
      expect(post).not.toMatch(/content-type/i);
    });
  });
});
