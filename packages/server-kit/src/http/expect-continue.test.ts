import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerExpectAsNetHttp } from "./net-http-refusals";
import { answerUnreadBodiesAsNetHttp } from "./unread-body";

/** Reads from `socket` until `pattern` shows in all that arrived, or `ms` passes (then resolves with what came). */
function until(socket: Socket, seen: Buffer[], pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const text = () => Buffer.concat(seen).toString("latin1");
    const check = () => {
      if (!pattern.test(text())) return;
      stop();
    };
    const stop = () => {
      clearTimeout(timer);
      socket.off("data", check);
      socket.off("close", stop);
      resolve(text());
    };
    const timer = setTimeout(stop, ms);
    socket.on("data", check);
    socket.on("close", stop);
    check();
  });
}

describe("`100 Continue` on the handler's first body read (server.go expectContinueReader)", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/ignores-body") {
        res.end("no");
        return;
      }
      // The handler looks at the body only after some work of its own.
      setTimeout(() => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => res.end(`got ${Buffer.concat(chunks).toString()}`));
      }, 300);
    });
    answerExpectAsNetHttp(server);
    answerUnreadBodiesAsNetHttp(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function opened(): Promise<{ socket: Socket; seen: Buffer[] }> {
    return new Promise((resolve) => {
      const seen: Buffer[] = [];
      const socket = connect(port, "127.0.0.1", () => resolve({ socket, seen }));
      socket.on("data", (chunk: Buffer) => seen.push(chunk));
      socket.on("error", () => undefined);
    });
  }

  it("sends `100 Continue` when the handler first reads the body, not when the head arrives", async () => {
    const { socket, seen } = await opened();
    socket.write("POST /reads-later HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    // Before the handler reads: nothing yet.
    expect(await until(socket, seen, /100 Continue/, 150)).toBe("");
    expect(await until(socket, seen, /100 Continue/, 2_000)).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    socket.write("hello");
    const text = await until(socket, seen, /got hello$/, 2_000);
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(text).not.toMatch(/Connection: close/);
    socket.destroy();
  });

  it("never sends it to a handler that answers without reading, and closes after that answer", async () => {
    const { socket, seen } = await opened();
    socket.write("POST /ignores-body HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    // writeHeader: an expectContinueReader that has not seen EOF makes the connection close after the reply.
    const closed = new Promise<boolean>((resolve) => {
      socket.once("close", () => resolve(true));
      setTimeout(() => resolve(false), 1_000);
    });
    const text = await until(socket, seen, /\r\n\r\nno$/, 1_000);
    expect(await closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).not.toMatch(/100 Continue/);
    expect(text).toMatch(/\r\nConnection: close\r\n/);
    socket.destroy();
  });
});
