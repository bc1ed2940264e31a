import { exchangeRaw } from "@olympus/server-kit/testing/fuzz";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

/**
 * Answers Go's net/http writes before Hydra's handlers run (server.go
 * conn.serve after conn.readRequest fails; cmd/server/handler.go serves
 * both ports with graceful.WithDefaults(&http.Server{...}), no
 * MaxHeaderBytes): the status line, Content-Type and Connection, nothing
 * else, the body up to the close.
 */
function goAnswer(statusLine: string, body = statusLine): string {
  return `HTTP/1.1 ${statusLine}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${body}`;
}

let postgres: TestPostgres;
let hydra: HydraUnderTest;
let ports: { public: number; admin: number };

beforeAll(async () => {
  ({ postgres, hydra } = await startHydraWithPostgres());
  ports = { public: Number(new URL(hydra.publicUrl).port), admin: Number(new URL(hydra.adminUrl).port) };
});
afterAll(() => stopHydraAndPostgres(hydra, postgres));

describe("requests Go's net/http refuses before any handler", () => {
  it("an HTTP/1.1 request without Host gets conn.readRequest's statusError on both ports", async () => {
    const hostless = goAnswer("400 Bad Request: missing required Host header");
    expect(await exchangeRaw(ports.admin, "GET /admin/clients HTTP/1.1\r\nConnection: close\r\n\r\n")).toBe(hostless);
    expect(await exchangeRaw(ports.public, "GET /oauth2/auth HTTP/1.1\r\nConnection: close\r\n\r\n")).toBe(hostless);
  });

  it("a Host httpguts.ValidHostHeader refuses, a second Host line, a gzip transfer encoding and HTTP/2.0 get Go's answers", async () => {
    expect(await exchangeRaw(ports.public, "GET /health/alive HTTP/1.1\r\nHost: a b\r\n\r\n")).toBe(
      goAnswer("400 Bad Request: malformed Host header"),
    );
    expect(await exchangeRaw(ports.admin, "GET /health/alive HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
    expect(await exchangeRaw(ports.admin, "POST /admin/clients HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")).toBe(
      goAnswer("501 Not Implemented", "Unsupported transfer encoding"),
    );
    expect(await exchangeRaw(ports.public, "GET /health/alive HTTP/2.0\r\nHost: a\r\n\r\n")).toBe(
      goAnswer("505 HTTP Version Not Supported: unsupported protocol version"),
    );
  });

  it("a head Node's parser refuses gets the plain 400, one over Go's 1 MiB the 431", async () => {
    expect(await exchangeRaw(ports.public, "GET /oauth2/auth HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")).toBe(goAnswer("400 Bad Request"));
    expect(await exchangeRaw(ports.admin, `GET /health/alive HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat((1 << 20) + 8192)}\r\n\r\n`)).toBe(
      goAnswer("431 Request Header Fields Too Large"),
    );
  });

  it("an Expect other than 100-continue gets conn.serve's 417 on both ports, after conn.readRequest's refusals", async () => {
    // sendExpectationFailed through Go's response writer: Connection, Date, Content-Length, no body, then the close.
    const expectationFailed = "HTTP/1.1 417 Expectation Failed\r\nConnection: close\r\nDate: <date>\r\nContent-Length: 0\r\n\r\n";
    const dated = async (port: number, bytes: string) => (await exchangeRaw(port, bytes)).replace(/Date: [^\r]*/, "Date: <date>");
    expect(await dated(ports.public, "GET /oauth2/auth HTTP/1.1\r\nHost: a\r\nExpect: foo\r\n\r\n")).toBe(expectationFailed);
    expect(await dated(ports.admin, "GET /admin/clients HTTP/1.1\r\nHost: a\r\nExpect: foo\r\n\r\n")).toBe(expectationFailed);
    expect(await exchangeRaw(ports.public, "GET /oauth2/auth HTTP/1.1\r\nExpect: foo\r\n\r\n")).toBe(
      goAnswer("400 Bad Request: missing required Host header"),
    );
  });

  it("a 20 KiB head is served, as under http.DefaultMaxHeaderBytes", async () => {
    const big = `GET /health/alive HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${"a".repeat(20 * 1024)}\r\n\r\n`;
    expect(await exchangeRaw(ports.public, big)).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"status":"ok"\}/);
    expect(await exchangeRaw(ports.admin, big)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});
