import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerUnreadBodyAsNetHttp, discardUnreadBody, MAX_POST_HANDLER_READ_BYTES } from "./unread-body";

/** What arrived on one connection until the server closed it, or `timeout` when it kept it open past `ms`. */
function exchange(port: number, bytes: Buffer | string, ms = 2_000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closed });
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => done(true));
    // A reset after the answer (unread bytes left in the server's buffer) ends the exchange too.
    socket.on("error", () => done(true));
  });
}

/** A chunked body of `size` bytes in 16 KiB chunks, without the last (zero) chunk unless `last`. */
function chunked(size: number, last: boolean): string {
  let out = "";
  for (let left = size; left > 0; left -= 16_384) {
    const n = Math.min(16_384, left);
    out += `${n.toString(16)}\r\n${"x".repeat(n)}\r\n`;
  }
  return last ? `${out}0\r\n\r\n` : out;
}

describe("an unread request body (server.go chunkWriter.writeHeader, maxPostHandlerReadBytes)", () => {
  let server: Server;
  let port: number;
  const served: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      answerUnreadBodyAsNetHttp(req, res);
      served.push(`${req.method} ${req.url}`);
      const answer = () => res.writeHead(200, { "Content-Length": 2 }).end("ok");
      // `/ignore` never touches the body; every other path discards it before answering, as readGoForm does.
      if (req.url === "/ignore") answer();
      else if (req.url === "/left-part-way") {
        // As provider/replay-body.ts readBodyUpTo on overflow: read a first chunk, pause, answer.
        req.once("data", () => {
          req.pause();
          answer();
        });
      } else void discardUnreadBody(req).then(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("answers `Connection: close` and closes at once when 256 KiB or more is announced and unread, reading none of it", async () => {
    // The client sends the head and a few bytes of a 1 GiB body, then waits: Go does not read on.
    const head = `POST /huge HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${1 << 30}\r\n\r\n{"a":`;
    const { text, closed } = await exchange(port, head);
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toMatch(/\r\nConnection: close\r\n/i);
    expect(text.endsWith("\r\n\r\nok")).toBe(true);
  });

  it("does the same for a handler that never looks at the body", async () => {
    const head = `POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: ${MAX_POST_HANDLER_READ_BYTES}\r\n\r\n`;
    const { text, closed } = await exchange(port, head);
    expect(closed).toBe(true);
    expect(text).toMatch(/\r\nConnection: close\r\n/i);
  });

  it("discards a chunked body up to 256 KiB and one byte, then closes (io.CopyN's nil error: tooBig)", async () => {
    const bytes = `POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(MAX_POST_HANDLER_READ_BYTES + 16_384, false)}`;
    const { text, closed } = await exchange(port, bytes);
    expect(closed).toBe(true);
    expect(text).toMatch(/\r\nConnection: close\r\n/i);
  });

  it("closes after the answer when a reader left more than 256 KiB of the body unread", async () => {
    const body = "x".repeat(2 * MAX_POST_HANDLER_READ_BYTES);
    const bytes = `POST /left-part-way HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /never HTTP/1.1\r\nHost: a\r\n\r\n`;
    const { text, closed } = await exchange(port, bytes);
    expect(closed).toBe(true);
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(1);
    expect(served).not.toContain("GET /never");
  });

  it("keeps the connection after a short unread body and serves the request behind it", async () => {
    const first = `POST /short HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n${"x".repeat(1000)}`;
    const second = `POST /short-chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(50_000, true)}`;
    const third = "GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    const { text, closed } = await exchange(port, first + second + third);
    expect(closed).toBe(true);
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
    expect(text).not.toMatch(/^HTTP[^]*Connection: close[^]*HTTP\/1\.1 200 OK/i);
    expect(served).toEqual(expect.arrayContaining(["POST /short", "POST /short-chunked", "GET /after"]));
  });
});
