import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setSecurityHeaders } from "./security-headers";

describe("security headers", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      setSecurityHeaders(res);
      res.end("ok");
    });
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
});

describe("security headers that leave caching to the handlers", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      setSecurityHeaders(res, { cacheControl: null });
      if (req.url === "/cached") res.setHeader("Cache-Control", "max-age=60");
      res.end("ok");
    });
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
});
