import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchangeRaw as raw } from "../testing/fuzz/raw-http";
import { answerParserError, isNetHttpRefusal, parseHttpVersion, refusedAsNetHttp, SERVER_OPTIONS } from "./net-http-refusals";

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
      if (refusedAsNetHttp(req)) return;
      served.push(`${req.method} ${req.url}`);
      res.setHeader("Connection", "close");
      res.end("served");
    });
    server.on("clientError", answerParserError);
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

  it("closes without an answer when the head does not arrive in time (isCommonNetReadError)", async () => {
    expect(await raw(port, "GET /slow HTTP/1.1\r\nHost: a\r\n")).toBe("");
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
