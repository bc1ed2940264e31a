import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { applyGoServerTimeouts } from "./go-server-timeouts";
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

describe("Go's server timeouts on Node (http.Server IdleTimeout, ReadTimeout; ory/graceful WithDefaults)", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function listening(timeouts: { readTimeoutMs: number; idleTimeoutMs: number }): Promise<number> {
    // A head timeout under the read one, as in both servers (Node wants headersTimeout <= requestTimeout).
    server = createServer({ ...SERVER_OPTIONS, headersTimeout: 300, connectionsCheckingInterval: 50 }, (_req, res) => res.end("ok"));
    server.on("clientError", answerParserError);
    applyGoServerTimeouts(server, timeouts);
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
});
