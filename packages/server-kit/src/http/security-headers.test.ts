import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerParserError, parserErrorAnswer, SERVER_OPTIONS, setSecurityHeaders } from "./security-headers";

/** Sends raw bytes and reads until the server closes. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
    socket.write(bytes);
  });
}

describe("security headers", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer(SERVER_OPTIONS, (_req, res) => {
      setSecurityHeaders(res);
      res.end("ok");
    });
    server.on("clientError", answerParserError);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("are set on a handled answer", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("are on the answer to a request Node's parser refuses, 400 or 431", async () => {
    const bad = await raw(port, "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    expect(bad).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(bad).toContain("X-Content-Type-Options: nosniff\r\n");
    const huge = await raw(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(huge).toContain("Cache-Control: no-store\r\n");
  });
});

describe("security headers that leave caching to the handlers", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer(SERVER_OPTIONS, (req, res) => {
      setSecurityHeaders(res, { cacheControl: null });
      if (req.url === "/cached") res.setHeader("Cache-Control", "max-age=60");
      res.end("ok");
    });
    server.on("clientError", parserErrorAnswer({ cacheControl: null }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("send no Cache-Control of their own, keep the others, and leave a handler's own", async () => {
    const plain = await fetch(`http://127.0.0.1:${port}/`);
    expect(plain.headers.get("x-content-type-options")).toBe("nosniff");
    expect(plain.headers.get("x-frame-options")).toBe("DENY");
    expect(plain.headers.get("cache-control")).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/cached`)).headers.get("cache-control")).toBe("max-age=60");
  });

  it("answer a request Node's parser refuses without Cache-Control", async () => {
    const bad = await raw(port, "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    expect(bad).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(bad).toContain("X-Frame-Options: DENY\r\n");
    expect(bad).not.toMatch(/cache-control/i);
  });
});
