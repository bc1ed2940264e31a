import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { applyGoServerTimeouts, type GoServerTimeouts } from "./go-server-timeouts";
import { answerParserError, SERVER_OPTIONS } from "./net-http-refusals";

/** Sends `bytes` on one connection; resolves with what came back and how long after sending the server closed. */
function untilClosed(port: number, bytes: string): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    const socket = connect(port, "127.0.0.1", () => {
      sent = Date.now();
      socket.write(bytes);
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve({ text: Buffer.concat(chunks).toString("latin1"), closedAfterMs: Date.now() - sent }));
  });
}

describe("Go's server timeouts on Node (http.Server IdleTimeout, ReadTimeout, WriteTimeout; ory/graceful WithDefaults)", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function listening(timeouts: Partial<GoServerTimeouts>): Promise<number> {
    // A head timeout under the read one, as in both servers (Node wants headersTimeout <= requestTimeout).
    server = createServer({ ...SERVER_OPTIONS, headersTimeout: 300, connectionsCheckingInterval: 50 }, (req, res) => {
      const delay = /^\/after\/(\d+)$/.exec(req.url ?? "");
      if (delay) setTimeout(() => res.end("late"), Number(delay[1]));
      else res.end("ok");
    });
    server.on("clientError", answerParserError);
    applyGoServerTimeouts(server, { readTimeoutMs: 5_000, writeTimeoutMs: 10_000, idleTimeoutMs: 120_000, ...timeouts });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  it("closes a kept-alive connection when IdleTimeout runs out after the answer, not a second later", async () => {
    const port = await listening({ readTimeoutMs: 5_000, idleTimeoutMs: 400 });
    // conn.serve: after the response, SetReadDeadline(now + IdleTimeout) while waiting for the next request.
    const { text, closedAfterMs } = await untilClosed(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*ok$/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(350);
    expect(closedAfterMs).toBeLessThan(1_200);
  });

  it("cuts a request whose body has not all arrived within ReadTimeout", async () => {
    const port = await listening({ readTimeoutMs: 600, idleTimeoutMs: 120_000 });
    const { text, closedAfterMs } = await untilClosed(port, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
    // The handler answered at once; the connection still goes when the body is late (readRequest's wholeReqDeadline).
    expect(text).toMatch(/ok$/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(550);
    expect(closedAfterMs).toBeLessThan(2_000);
  });

  it("writes nothing of an answer not written by WriteTimeout, and closes when the handler is done", async () => {
    const port = await listening({ writeTimeoutMs: 300 });
    // conn.readRequest sets the write deadline once the head is read; later writes fail (conn.werr) and
    // conn.serve closes the connection after the handler returns, not at the deadline.
    const { text, closedAfterMs } = await untilClosed(port, "GET /after/700 HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(text).toBe("");
    expect(closedAfterMs).toBeGreaterThanOrEqual(650);
    expect(closedAfterMs).toBeLessThan(2_000);
  });

  it("answers in time on a kept connection, each request with its own deadline", async () => {
    const port = await listening({ writeTimeoutMs: 400, idleTimeoutMs: 700 });
    // Each answer comes 250 ms after its own head: past 400 ms from the first request, within its own deadline.
    const requests = "GET /after/250 HTTP/1.1\r\nHost: a\r\n\r\n".repeat(3);
    const { text } = await untilClosed(port, requests);
    expect(text.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(3);
  });
});
