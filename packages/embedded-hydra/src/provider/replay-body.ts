import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { Readable } from "node:stream";

/** oidc-provider's own body limit for form posts (shared/selective_body.js). */
export const PROVIDER_BODY_LIMIT = 56 * 1024;

/**
 * The body, read until it ends or passes `limit` bytes (`overflow`: the
 * bytes read so far, more than `limit`, the rest left unread). Plain stream
 * events rather than an async iterator: every token request is read here.
 */
export function readBodyUpTo(stream: IncomingMessage, limit = PROVIDER_BODY_LIMIT): Promise<{ raw: Buffer; overflow: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (overflow: boolean, error?: Error) => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.off("close", onClose);
      if (error) reject(error);
      else resolve({ raw: Buffer.concat(chunks), overflow });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        stream.pause();
        settle(true);
      }
    };
    const onEnd = () => settle(false);
    const onError = (error: Error) => settle(false, error);
    const onClose = () => {
      if (!stream.complete) settle(false, new Error("the request body was cut off"));
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

/**
 * A request stream with the same head and another body, for oidc-provider to
 * read as usual (its body parser reads the stream itself). `dropHeaders`
 * are left out of the head.
 */
export function withBody(req: IncomingMessage, body: Buffer, dropHeaders: readonly string[] = []): IncomingMessage {
  const headers: IncomingHttpHeaders = { ...req.headers, "content-length": String(body.length) };
  for (const name of dropHeaders) delete headers[name];
  return replayOf(req, body, headers, req.method ?? "GET", req.url ?? "/");
}

/** The request as a body-less `method` of `url`, with the same head otherwise. */
export function withRequestLine(req: IncomingMessage, method: string, url: string): IncomingMessage {
  const headers: IncomingHttpHeaders = { ...req.headers };
  for (const name of ["content-length", "content-type", "transfer-encoding"]) delete headers[name];
  return replayOf(req, Buffer.alloc(0), headers, method, url);
}

function replayOf(req: IncomingMessage, body: Buffer, headers: IncomingHttpHeaders, method: string, url: string): IncomingMessage {
  const stream = new Readable({ read() {} });
  stream.push(body);
  stream.push(null);
  return Object.assign(stream, {
    headers,
    rawHeaders: req.rawHeaders,
    method,
    url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: true,
    aborted: false,
  }) as unknown as IncomingMessage;
}
