import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyGoServerTimeouts } from "./go-server-timeouts";
import { answerParserError, SERVER_OPTIONS } from "./net-http-refusals";
import { answerUnreadBodiesAsNetHttp } from "./unread-body";

/** A body reader as the servers' own: every chunk until `end`, or the first error. */
function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString()));
    req.on("error", reject);
  });
}

/** Sends `bytes` on one connection; what came back, the client's own address, and when the server closed. */
function exchange(
  port: number,
  bytes: string,
  later?: { afterMs: number; bytes: string },
): Promise<{ text: string; client: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    let client = "";
    const socket = connect(port, "127.0.0.1", () => {
      sent = Date.now();
      client = `${socket.localAddress ?? ""}:${socket.localPort ?? 0}`;
      socket.write(bytes);
      if (later) setTimeout(() => socket.write(later.bytes), later.afterMs);
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () =>
      resolve({
        text: Buffer.concat(chunks).toString("latin1"),
        client,
        closedAfterMs: Date.now() - sent,
      }),
    );
  });
}

describe("a body later than ReadTimeout fails the handler's read (server.go conn.readRequest wholeReqDeadline)", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer({ ...SERVER_OPTIONS, headersTimeout: 300, connectionsCheckingInterval: 50 }, (req, res) => {
      const answer = (read: Promise<string>) =>
        read.then(
          (body) => res.end(`read ${body}`),
          (error: Error) => {
            res.statusCode = 400;
            res.end(`failed: ${error.message}`);
          },
        );
      // `/reads-late` starts reading after the deadline, with part of the body arrived before it.
      if (req.url === "/reads-late") setTimeout(() => void answer(readAll(req)), 900);
      else void answer(readAll(req));
    });
    server.on("clientError", answerParserError);
    answerUnreadBodiesAsNetHttp(server);
    applyGoServerTimeouts(server, { readTimeoutMs: 500, writeTimeoutMs: 10_000, idleTimeoutMs: 120_000 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("lets the handler answer the read's i/o timeout, says `Connection: close` and closes", async () => {
    const { text, client, closedAfterMs } = await exchange(port, "POST /reads HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
    // *net.OpError: `read tcp <server>-><client>: i/o timeout`.
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toMatch(/\r\nConnection: close\r\n/);
    expect(text.endsWith(`\r\n\r\nfailed: read tcp 127.0.0.1:${port}->${client}: i/o timeout`)).toBe(true);
    expect(closedAfterMs).toBeGreaterThanOrEqual(450);
    expect(closedAfterMs).toBeLessThan(2_000);
  });

  it("fails a read that starts after the deadline too, and reads nothing that arrives after it", async () => {
    // The rest of the body comes 200 ms past the deadline, before the handler reads: the read still fails.
    const late = { afterMs: 700, bytes: "defghij" };
    const { text } = await exchange(port, "POST /reads-late HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", late);
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toMatch(/\r\n\r\nfailed: read tcp [^ ]+: i\/o timeout$/);
  });

  it("reads a body that arrives in time", async () => {
    const { text } = await exchange(port, "POST /reads HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nread abc$/);
  });
});
