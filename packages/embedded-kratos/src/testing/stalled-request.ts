import { connect } from "node:net";

/** The raw answer to a request whose body never arrived in full. */
export interface StalledAnswer {
  status: number;
  /** The status line and header fields, without the blank line after them. */
  head: string;
  body: string;
  /** `host:port` of the server and of this end: the two sides Go's `read tcp server->client` error names. */
  server: string;
  client: string;
}

/**
 * Writes `method target` over a raw connection to the server at `url` with
 * these header fields, in this order and spelled as given, followed by only
 * `sent` of the body they declare; then waits until the server answers and
 * closes the connection (once its read deadline has passed). fetch cannot
 * send a body that stops short of its Content-Length.
 */
export function stalledRequest(
  url: string,
  method: string,
  target: string,
  headers: Record<string, string>,
  sent: string,
): Promise<StalledAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let client = "";
    const socket = connect(Number(port), hostname, () => {
      client = `${socket.localAddress ?? ""}:${socket.localPort ?? 0}`;
      const fields = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("");
      socket.write(`${method} ${target} HTTP/1.1\r\n${fields}\r\n${sent}`);
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      resolve({
        status: Number(text.slice(9, 12)),
        head: text.slice(0, split),
        body: text.slice(split + 4),
        server: `${hostname}:${port}`,
        client,
      });
    });
  });
}
