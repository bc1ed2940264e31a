import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerUnreadBodiesAsNetHttp } from "./unread-body";

/** What arrived on one connection, and whether the server closed it within `ms`. */
function exchange(port: number, bytes: string, ms = 600): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes, "latin1"));
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closed });
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => done(true));
    socket.on("error", () => done(true));
  });
}

/** The head's lines after the status line, without Date (its value changes). */
function headerLines(text: string): string[] {
  const head = text.slice(0, text.indexOf("\r\n\r\n"));
  return head
    .split("\r\n")
    .slice(1)
    .filter((line) => !line.startsWith("Date: "));
}

describe("the Connection header as Go writes it (server.go chunkWriter.writeHeader)", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/handler-close") res.setHeader("Connection", "close");
      if (req.url === "/streamed") {
        res.write("par");
        setTimeout(() => res.end("t"), 20);
        return;
      }
      if (req.url === "/sized") {
        res.writeHead(200, { "Content-Length": 2 }).end("ok");
        return;
      }
      res.end("ok");
    });
    answerUnreadBodiesAsNetHttp(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends neither Connection nor Keep-Alive on a kept HTTP/1.1 connection", async () => {
    const { text, closed } = await exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /sized HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(closed).toBe(false);
    expect(text.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(2);
    expect(text).not.toMatch(/\r\n(Connection|Keep-Alive):/i);
  });

  it("says `Connection: close` exactly when it closes: the request asked for it, or the handler did", async () => {
    // Request.wantsClose; `header.get("Connection") == "close"` keeps the handler's own header.
    for (const bytes of ["GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "GET /handler-close HTTP/1.1\r\nHost: a\r\n\r\n"]) {
      const { text, closed } = await exchange(port, bytes);
      expect(closed).toBe(true);
      expect(headerLines(text).sort()).toEqual(["Connection: close", "Content-Length: 2"]);
    }
  });

  it("answers HTTP/1.0 with an HTTP/1.0 status line, the length and no Connection header, then closes", async () => {
    // writeStatusLine(is11 = false); the handler-done Content-Length; closeAfterReply, but `close` is said to HTTP/1.1 only.
    const { text, closed } = await exchange(port, "GET / HTTP/1.0\r\n\r\n");
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.0 200 OK\r\n/);
    expect(headerLines(text)).toEqual(["Content-Length: 2"]);
    expect(text.endsWith("\r\n\r\nok")).toBe(true);
  });

  it("keeps an HTTP/1.0 keep-alive connection with `Connection: keep-alive` when the answer has a length", async () => {
    const { text, closed } = await exchange(port, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect(closed).toBe(false);
    expect(text).toMatch(/^HTTP\/1\.0 200 OK\r\n/);
    expect(headerLines(text).sort()).toEqual(["Connection: keep-alive", "Content-Length: 2"]);
  });

  it("closes an HTTP/1.0 keep-alive connection, saying nothing, when the answer has no length", async () => {
    // HTTP version < 1.1 cannot chunk: the body ends with the connection.
    const { text, closed } = await exchange(port, "GET /streamed HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect(closed).toBe(true);
    expect(headerLines(text)).toEqual([]);
    expect(text.endsWith("\r\n\r\npart")).toBe(true);
  });
});
