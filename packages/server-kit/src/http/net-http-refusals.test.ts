import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchangeRaw as raw } from "../testing/fuzz/raw-http";
import {
  answerExpectAsNetHttp,
  answerParserError,
  isNetHttpRefusal,
  parseHttpVersion,
  refusedAsNetHttp,
  SERVER_OPTIONS,
} from "./net-http-refusals";

/** What server.go conn.serve writes for a refusal: no other header, the body up to the close. */
function goAnswer(statusLine: string, body = statusLine): string {
  return `HTTP/1.1 ${statusLine}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${body}`;
}

describe("net/http's own answers (server.go conn.serve / conn.readRequest)", () => {
  let server: Server;
  let port: number;
  const served: string[] = [];

  beforeAll(async () => {
    server = createServer({ ...SERVER_OPTIONS, headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 }, (req, res) => {
      if (refusedAsNetHttp(req, res)) return;
      served.push(`${req.method} ${req.url}`);
      if (req.url === "/slow-keep-alive") {
        res.writeHead(200, { "Content-Length": 10 });
        res.write("part-1");
        setTimeout(() => res.end("part-2"), 150);
        return;
      }
      if (req.url === "/reads-body") {
        req.resume();
        req.once("end", () => res.end("read"));
        return;
      }
      if (req.url === "/ok") {
        res.setHeader("Content-Length", 6);
        res.end("served");
        return;
      }
      res.setHeader("Connection", "close");
      res.end("served");
    });
    server.on("clientError", answerParserError);
    answerExpectAsNetHttp(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("refuses an HTTP/1.1 request without Host before any handler, and serves one of HTTP/1.0", async () => {
    // conn.readRequest: `missing required Host header`, a statusError, for HTTP/1.1 and up.
    expect(await raw(port, "GET /no-host HTTP/1.1\r\n\r\n")).toBe(goAnswer("400 Bad Request: missing required Host header"));
    expect(await raw(port, "GET /old HTTP/1.0\r\n\r\n")).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*served$/);
    expect(served).toContain("GET /old");
    expect(served).not.toContain("GET /no-host");
  });

  it("answers two Host lines with the plain 400 and a Host httpguts refuses with `malformed Host header`", async () => {
    // request.go readRequest: `too many Host headers` is a plain error, so conn.serve writes its publicErr.
    expect(await raw(port, "GET /two HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
    // conn.readRequest: httpguts.ValidHostHeader allows URI host bytes only.
    expect(await raw(port, "GET /space HTTP/1.1\r\nHost: a b\r\n\r\n")).toBe(goAnswer("400 Bad Request: malformed Host header"));
    expect(await raw(port, "GET /angle HTTP/1.1\r\nHost: a<b\r\n\r\n")).toBe(goAnswer("400 Bad Request: malformed Host header"));
    expect(await raw(port, "GET /v6 HTTP/1.1\r\nHost: [::1]:4444\r\n\r\n")).toMatch(/served$/);
    expect(await raw(port, "GET /empty HTTP/1.1\r\nHost:\r\n\r\n")).toMatch(/served$/);
    expect(served).toEqual(expect.arrayContaining(["GET /v6", "GET /empty"]));
    expect(served).not.toContain("GET /two");
  });

  it("answers a request target url.ParseRequestURI refuses with the plain 400 (request.go readRequest)", async () => {
    // readRequest returns ParseRequestURI's *url.Error, a plain error: conn.serve writes its publicErr.
    expect(await raw(port, "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
    expect(await raw(port, "GET /a?b=%zz HTTP/1.1\r\nHost: h\r\n\r\n")).toMatch(/served$/);
    expect(await raw(port, "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")).toMatch(/served$/);
    expect(await raw(port, "GET /a%41 HTTP/1.1\r\nHost: h\r\n\r\n")).toMatch(/served$/);
    expect(served).not.toContain("GET /a%zz");
  });

  it("answers a transfer encoding other than one `chunked` line with 501, without echoing it", async () => {
    // transfer.go parseTransferEncoding → unsupportedTEError → conn.serve's 501.
    const teAnswer = goAnswer("501 Not Implemented", "Unsupported transfer encoding");
    expect(await raw(port, "POST /gzip HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")).toBe(teAnswer);
    expect(await raw(port, "POST /both HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")).toBe(teAnswer);
    // Two lines: Node's parser refuses these itself (HPE_INVALID_TRANSFER_ENCODING).
    expect(
      await raw(port, "POST /twice HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ).toBe(teAnswer);
    // ascii.EqualFold: any case of `chunked` is served.
    expect(await raw(port, "POST /upper HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n")).toMatch(/served$/);
    expect(served).not.toContain("POST /gzip");
  });

  it("answers a protocol other than HTTP/1.x with 505", async () => {
    // conn.readRequest: http1ServerSupportsRequest → statusError{505, "unsupported protocol version"}.
    const versionAnswer = goAnswer("505 HTTP Version Not Supported: unsupported protocol version");
    expect(await raw(port, "GET /two-oh HTTP/2.0\r\nHost: a\r\n\r\n")).toBe(versionAnswer);
    // A request line without a protocol is parseRequestLine's `malformed HTTP request` (Node reads it as
    // HTTP/0.9, so an explicit HTTP/0.9 gets the same plain 400).
    expect(await raw(port, "GET /no-version\r\nHost: a\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
    // Node's parser refuses these versions itself (HPE_INVALID_VERSION); Go's ParseHTTPVersion reads them.
    expect(await raw(port, "GET /three HTTP/3.0\r\nHost: a\r\n\r\n")).toBe(versionAnswer);
    expect(await raw(port, "GET /nine HTTP/9.9\r\nHost: a\r\n\r\n")).toBe(versionAnswer);
    // Go reads the method first (validMethod): a bad one is the plain 400 whatever the version.
    expect(await raw(port, "\u0000\u0001 / HTTP/9.9\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
    // One Go cannot read at all is readRequest's `malformed HTTP version`: the plain 400.
    expect(await raw(port, "GET /long HTTP/10.0\r\nHost: a\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
  });

  it("answers what Node's parser refuses as conn.serve does: 431 past Go's limit, else the plain 400", async () => {
    // textproto ProtocolErrors (a header line without a colon, a bad name) are not statusErrors: publicErr only.
    expect(await raw(port, "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
    expect(await raw(port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
    // http.DefaultMaxHeaderBytes (+4096): a 20 KiB head is served, one over 1 MiB is errTooLarge's 431.
    expect(await raw(port, `GET /20k HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20 * 1024)}\r\n\r\n`)).toMatch(/served$/);
    expect(served).toContain("GET /20k");
    expect(await raw(port, `GET /huge HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat((1 << 20) + 8192)}\r\n\r\n`)).toBe(
      goAnswer("431 Request Header Fields Too Large"),
    );
  });

  it("serves no request pipelined behind a refused one, as Go closes the connection", async () => {
    const answer = await raw(port, "GET /first HTTP/1.1\r\n\r\nGET /pipelined HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(answer).toBe(goAnswer("400 Bad Request: missing required Host header"));
    expect(served).not.toContain("GET /pipelined");
  });

  it("writes a refusal after the pipelined response before it has finished, as conn.serve answers in order", async () => {
    // The first response is written in two parts, the second 150 ms later; the refusal must not cut in between.
    const answer = await raw(port, "GET /slow-keep-alive HTTP/1.1\r\nHost: a\r\n\r\nGET /behind HTTP/1.1\r\n\r\n");
    const first = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n";
    expect(answer.startsWith(first)).toBe(true);
    const refusal = goAnswer("400 Bad Request: missing required Host header");
    expect(answer.endsWith(`\r\n\r\npart-1part-2${refusal}`)).toBe(true);
    expect(served).not.toContain("GET /behind");
  });

  it("writes the answer to unparsable pipelined bytes after the responses before them (conn.serve, readRequest's error)", async () => {
    const answer = await raw(
      port,
      "GET /slow-keep-alive HTTP/1.1\r\nHost: a\r\n\r\nGET /ok HTTP/1.1\r\nHost: a\r\n\r\nBAD\x01 / HTTP/1.1\r\n\r\n",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\npart-1part-2HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nserved/);
    expect(answer.endsWith(`served${goAnswer("400 Bad Request")}`)).toBe(true);
  });

  it("answers a body that fails to parse while its handler waits for it, not waiting for that handler", async () => {
    const answer = await raw(port, "POST /reads-body HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
    expect(answer).toBe(goAnswer("400 Bad Request"));
  });

  it("closes without an answer when the head does not arrive in time (isCommonNetReadError)", async () => {
    expect(await raw(port, "GET /slow HTTP/1.1\r\nHost: a\r\n")).toBe("");
  });

  it("answers an Expect other than 100-continue with 417 before any handler, as conn.serve's sendExpectationFailed", async () => {
    // Go 1.19's answer, printed by a net/http server: response.go's header order, no body, then the close.
    const expectationFailed = (version: string) =>
      `${version} 417 Expectation Failed\r\nConnection: close\r\nDate: <date>\r\nContent-Length: 0\r\n\r\n`;
    const dated = async (bytes: string) => (await raw(port, bytes)).replace(/Date: [^\r]*/, "Date: <date>");
    expect(await dated("GET /foo HTTP/1.1\r\nHost: a\r\nExpect: foo\r\n\r\n")).toBe(expectationFailed("HTTP/1.1"));
    // Node answers HTTP/1.0 expectations with nothing of its own; Go's 417 is there for every HTTP/1.x.
    expect(await dated("GET /old-foo HTTP/1.0\r\nExpect: foo\r\n\r\n")).toBe(expectationFailed("HTTP/1.0"));
    // hasToken wants a space, comma or tab around the token, where Node's match (which would send 100 Continue) takes any \W.
    expect(await dated("POST /semi HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 100-continue;x\r\n\r\n")).toBe(
      expectationFailed("HTTP/1.1"),
    );
    // Header.get reads the first Expect line only.
    expect(await dated("GET /first-foo HTTP/1.1\r\nHost: a\r\nExpect: foo\r\nExpect: 100-continue\r\n\r\n")).toBe(
      expectationFailed("HTTP/1.1"),
    );
    // conn.readRequest's refusals come first: Node would have answered 417 here.
    expect(await raw(port, "GET /no-host-foo HTTP/1.1\r\nExpect: foo\r\n\r\n")).toBe(
      goAnswer("400 Bad Request: missing required Host header"),
    );
    expect(served.filter((line) => /foo|semi/.test(line))).toEqual([]);
  });

  it("serves a 100-continue expectation, with no 100 Continue for a request without a body (expectContinueReader)", async () => {
    const answer = await raw(port, "GET /continue HTTP/1.1\r\nHost: a\r\nExpect: x, 100-CONTINUE\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*served$/);
    // Written when the handler reads the body (expect-continue.test.ts has the timing).
    const withBody = await raw(
      port,
      "POST /reads-body HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\nhi",
    );
    expect(withBody).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n[\s\S]*read$/);
    expect(served).toEqual(expect.arrayContaining(["GET /continue", "POST /reads-body"]));
  });

  it("recognises its answers (for the fuzz tests' header checks)", () => {
    const parsed = (status: number, body: string) => ({
      status,
      body,
      headers: new Map([
        ["content-type", "text/plain; charset=utf-8"],
        ["connection", "close"],
      ]),
    });
    expect(isNetHttpRefusal(parsed(400, "400 Bad Request: missing required Host header"))).toBe(true);
    expect(isNetHttpRefusal(parsed(501, "Unsupported transfer encoding"))).toBe(true);
    expect(isNetHttpRefusal(parsed(400, "something else"))).toBe(false);
    expect(isNetHttpRefusal({ ...parsed(400, "400 Bad Request"), headers: new Map([["connection", "close"]]) })).toBe(false);
  });

  it("reads versions as http.ParseHTTPVersion", () => {
    expect(parseHttpVersion("HTTP/1.1")).toEqual({ major: 1, minor: 1 });
    expect(parseHttpVersion("HTTP/3.7")).toEqual({ major: 3, minor: 7 });
    expect(parseHttpVersion("HTTP/10.0")).toBeNull();
    expect(parseHttpVersion("http/1.1")).toBeNull();
    expect(parseHttpVersion("HTTP/1")).toBeNull();
  });
});

describe("the head read timeout of Kratos and Hydra (Server.ReadHeaderTimeout 5 s)", () => {
  it("closes a connection whose head is not complete after 5 s, without a word, and not sooner", async () => {
    const server = createServer(SERVER_OPTIONS, (req, res) => {
      if (!refusedAsNetHttp(req, res)) res.end("served");
    });
    server.on("clientError", answerParserError);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      // conn.readRequest's hdrDeadline runs out: conn.serve's isCommonNetReadError returns without an answer.
      expect(await raw((server.address() as AddressInfo).port, "GET /slow HTTP/1.1\r\nHost: a\r\n")).toBe("");
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(4_900);
      expect(elapsed).toBeLessThan(6_000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 15_000);
});
