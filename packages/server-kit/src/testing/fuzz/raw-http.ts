import { connect } from "node:net";

export interface RawRequest {
  method: string;
  /** Path and query exactly as sent (may be malformed on purpose). */
  target: string;
  headers: [string, string][];
  body?: Buffer;
  /** Bytes to send instead of a well-formed head (header-injection and parser cases). */
  rawHead?: Buffer;
  /** Half-close right after sending (a truncated request the server would otherwise wait on). */
  endAfterSend?: boolean;
}

export interface RawResponse {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  headers: Map<string, string>;
  body: string;
  /** Socket error or timeout, if any (after or instead of a response). */
  error?: string;
}

/**
 * Sends one request over a fresh loopback TCP connection, byte for byte as
 * built (no client-side normalisation), and reads the answer until the
 * server closes. `Connection: close` is always sent.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const head =
    request.rawHead ??
    Buffer.from(
      `${request.method} ${request.target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n` +
        request.headers.map(([k, v]) => `${k}: ${v}\r\n`).join("") +
        (request.body ? `Content-Length: ${request.body.length}\r\n` : "") +
        "\r\n",
      "latin1",
    );
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let settled = false;
    const socket = connect(port, "127.0.0.1");
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...parse(Buffer.concat(chunks)), ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => {
      error = "timeout";
      socket.destroy();
      finish();
    }, timeoutMs);
    socket.on("connect", () => {
      socket.write(head);
      if (request.body) socket.write(request.body);
      // No half-close by default: Node's server drops a request whose client has ended before the
      // answer is ready. `Connection: close` makes the server close once it has answered.
      if (request.endAfterSend) socket.end();
    });
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on("close", finish);
  });
}

/**
 * Writes `bytes` (Latin-1) to a fresh loopback connection and returns every
 * byte the server sends until it closes, unparsed: for answers that must
 * match a server's exact bytes (net/http's own refusals).
 */
export function exchangeRaw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes, "latin1"));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
  });
}

function parse(data: Buffer): Omit<RawResponse, "error"> {
  const text = data.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  const headText = end === -1 ? text : text.slice(0, end);
  const [statusLine = "", ...lines] = headText.split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // Repeated headers (Set-Cookie) are kept, one per line.
    headers.set(name, headers.has(name) ? `${headers.get(name) ?? ""}\n${value}` : value);
  }
  return {
    status: match ? Number(match[1]) : 0,
    headers,
    body: end === -1 ? "" : data.subarray(Buffer.byteLength(text.slice(0, end + 4), "latin1")).toString("utf8"),
  };
}
