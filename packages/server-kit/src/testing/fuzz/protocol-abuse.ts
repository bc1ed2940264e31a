import type { FuzzRequest } from "./drive";
import type { Random } from "./random";

/** Where a hostile raw request is aimed: the server's port and a path it routes. */
export interface ProtocolAbuseTarget {
  port: FuzzRequest["port"];
  path: string;
  /** A path whose query carries an id, for invalid UTF-8 in the request target. */
  queryPath: string;
  /**
   * The media type of the broken chunked body. A form body sent to a browser
   * flow makes a server store an error for the error page before the parser
   * cuts the connection, which no answer then announces; JSON keeps the
   * storage audit meaningful where that applies.
   */
  chunkedBodyType: "application/json" | "application/x-www-form-urlencoded";
}

/**
 * One malformed HTTP/1.1 request, written byte by byte: header injection,
 * invalid UTF-8 and control bytes, conflicting or impossible framing,
 * oversized heads and garbage request lines. Both embedded servers must
 * answer each with a 4xx (or close) and stay up; Node's parser, not the
 * servers' handlers, refuses most of them, and that is what is proven.
 */
export function protocolAbuseRequest(rng: Random, target: ProtocolAbuseTarget): FuzzRequest {
  const { path, queryPath } = target;
  const text = (head: string) => () => Buffer.from(head, "latin1");
  const cases: (() => Buffer)[] = [
    // Header injection through a bare-LF or folded header, and a CRLF in the request target.
    text(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-A: a\nInjected: 1\r\nConnection: close\r\n\r\n`),
    text(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n`),
    text(`GET ${path}\r\nSet-Cookie: x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    // Invalid UTF-8 and control bytes in the target and in header values.
    () =>
      Buffer.concat([
        Buffer.from(`GET ${queryPath}`),
        Buffer.from([0xff, 0xc3, 0x28, 0x00]),
        Buffer.from(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      ]),
    () =>
      Buffer.concat([
        Buffer.from(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-Session-Token: `),
        Buffer.from([0xff, 0xfe, 0x00, 0x7f]),
        Buffer.from("\r\nConnection: close\r\n\r\n"),
      ]),
    // Conflicting and impossible framing.
    text(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 50\r\nConnection: close\r\n\r\n{"a":`),
    text(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n`),
    text(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: ${target.chunkedBodyType}\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    ),
    text(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{}`,
    ),
    // Missing or doubled Host.
    text(`GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`),
    text(`GET ${path} HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n`),
    // Oversized heads and garbage request lines.
    text(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(rng.int(17_000, 70_000))}\r\nConnection: close\r\n\r\n`),
    text(`GET /${"p".repeat(rng.int(9_000, 40_000))} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    text("\u0000\u0001\u0002 / HTTP/9.9\r\n\r\n"),
    text(`GET ${path} HTTP/1.1\r\n${Array.from({ length: 300 }, (_, i) => `X-H${i}: v`).join("\r\n")}\r\nConnection: close\r\n\r\n`),
  ];
  const rawHead = rng.pick(cases)();
  return {
    port: target.port,
    kind: "protocol",
    method: "RAW",
    target: path,
    headers: [],
    rawHead,
    // The truncated ones (a body shorter than announced) need the client's FIN to end.
    endAfterSend: /Content-Length: (5|-1)\r/.test(rawHead.toString("latin1")),
  };
}
