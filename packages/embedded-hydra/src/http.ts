import type { IncomingMessage } from "node:http";
import { HydraError } from "./errors";
import { isStorableQuery } from "@olympus/server-kit/text";
import { decoderNeedsMore, FirstValueEnd } from "@olympus/server-kit/go-json";
import { discardUnreadBody } from "@olympus/server-kit/http";
import {
  goMultipartForm,
  goParseForm,
  goReadMultipartForm,
  goReadsFormBody,
  utf8Text,
  type GoParsedForm,
  type GoValues,
} from "@olympus/server-kit/go-url";
import { assertStorable } from "./storable";

const LIMIT = 1024 * 1024;

const BODY_NOT_READ = "The request body could not be read";

/**
 * A body read that failed part-way: the bytes that had arrived and the
 * read's error text — for a body later than ReadTimeout Go's
 * `read tcp …: i/o timeout` (server-kit read-deadline.ts). Left unmapped it
 * is this server's generic 400; the readers below hand the text to the
 * handler's own error, as Go's decoders and ParseForm return it.
 */
export class BodyReadError extends HydraError {
  constructor(
    readonly received: Buffer,
    readonly readError: string,
  ) {
    super(400, "invalid_request", BODY_NOT_READ);
  }
}

/**
 * The body as json.NewDecoder(r.Body).Decode reads it, for the handler's
 * decoder: up to the end of its first value and no further (json/stream.go
 * readValue; server-kit FirstValueEnd), so the handler answers whatever
 * follows — more bytes, a body past 1 MiB, one still arriving. The rest is
 * what Go's server finds unread after the handler (unread-body.ts): a
 * Content-Length rest of 256 KiB or more is not waited for and the answer
 * closes the connection, a shorter one is discarded first (a late one until
 * ReadTimeout, as Go's discard waits for it). When the read fails (a body
 * later than ReadTimeout), the bytes that arrived if they hold the first
 * value or a syntax error, else the handler's decode error (`onReadError`)
 * worded with the read's error text. A value still open at 1 MiB is this
 * server's 413 (Go reads on without a cap).
 */
export async function readDecoderBody(req: IncomingMessage, onReadError: (readError: string) => Error): Promise<Buffer> {
  const end = new FirstValueEnd();
  let read: Buffer;
  try {
    read = await collectBodyBytes(req, (chunk) => end.feed(chunk));
  } catch (error) {
    if (!(error instanceof BodyReadError)) throw error;
    if (decoderNeedsMore(error.received)) throw onReadError(error.readError);
    return error.received;
  }
  await discardUnreadBody(req, read.length);
  return read;
}

/** The whole request body as UTF-8, at most 1 MiB (see readBodyBytes). */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString("utf8");
}

/**
 * The whole request body's bytes, at most 1 MiB (Go's JSON decoder reads
 * bytes: a stray byte that is not UTF-8 is quoted as itself).
 */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  // Refuse an announced oversize body at once instead of reading towards it.
  if (Number(req.headers["content-length"] ?? "0") > LIMIT) {
    // More than 256 KiB announced: nothing more is read and the answer closes the connection (unread-body.ts).
    void discardUnreadBody(req);
    return Promise.reject(new HydraError(413, "invalid_request", "The request body is too large"));
  }
  return collectBodyBytes(req);
}

/**
 * The body's bytes up to its end, or up to the chunk where `isComplete`
 * says the reader has what it needs (the stream is then paused with the
 * rest unread). Past 1 MiB first: a 413, the rest left to Go's rule for an
 * unread body. Read with plain stream events rather than an async
 * iterator: every admin call (introspection above all) reads a body, and
 * the iterator's per-chunk promises cost more than the few bytes they carry.
 */
function collectBodyBytes(req: IncomingMessage, isComplete?: (chunk: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onBroken);
      req.off("close", onClose);
    };
    const settle = (error: HydraError | undefined) => {
      stop();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (isComplete?.(chunk)) {
        req.pause();
        settle(undefined);
        return;
      }
      if (size <= LIMIT) return;
      stop();
      req.pause();
      // The answer still reaches the client: the rest is left to Go's rule for an unread body (unread-body.ts).
      void discardUnreadBody(req, size).then(() => reject(new HydraError(413, "invalid_request", "The request body is too large")));
    };
    const onEnd = () => settle(undefined);
    // The read failed: past ReadTimeout (server-kit read-deadline.ts fails it with Go's error), or the client went away.
    const onBroken = (error: Error) => settle(new BodyReadError(Buffer.concat(chunks), error.message));
    const onClose = () => {
      if (!req.complete) settle(HydraError.badRequest(BODY_NOT_READ));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onBroken);
    req.on("close", onClose);
  });
}

/** Parses a JSON body; an empty body is `{}` (Hydra accepts empty accept/reject bodies). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw HydraError.badRequest("The request body is not valid JSON");
  }
  assertStorable(value);
  return value;
}

/**
 * Whether Go's ParseForm reads this request's body: a POST, PUT or PATCH
 * whose media type (mime.ParseMediaType's) is a urlencoded form.
 */
export function hasUrlencodedBody(req: IncomingMessage): boolean {
  return goReadsFormBody(req.method, req.headers["content-type"]);
}

/** r.URL.RawQuery: everything after the request target's first `?`, one char per byte. */
export function rawQueryOf(req: IncomingMessage): string {
  const target = req.url ?? "";
  const at = target.indexOf("?");
  return at === -1 ? "" : target.slice(at + 1);
}

/** A form's values as text (bytes that are not UTF-8 become U+FFFD); refused when Postgres could not store them. */
export function storableParams(values: GoValues): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, list] of values) for (const value of list) params.append(utf8Text(key), utf8Text(value));
  if (!isStorableQuery(params))
    throw HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
  return params;
}

/**
 * r.ParseForm (server-kit goParseForm): r.PostForm holds a urlencoded
 * POST, PUT or PATCH body's values (never a JSON body's; the body read up
 * to readBodyBytes' 1 MiB, any other body discarded as Go's server does),
 * r.Form those and the URL query's after them (`rawQuery`, bytes, the
 * request's own by default). The error is a bad Content-Type, a `;` or a bad escape in
 * either, or too many parameters.
 */
export async function readGoForm(req: IncomingMessage, rawQuery = rawQueryOf(req)): Promise<GoParsedForm> {
  const readsBody = hasUrlencodedBody(req);
  let body: Buffer = Buffer.alloc(0);
  if (readsBody) {
    try {
      body = await readBodyBytes(req);
    } catch (error) {
      if (!(error instanceof BodyReadError)) throw error;
      // parsePostForm: io.ReadAll's error, r.PostForm empty; r.Form still gets the URL's values.
      const parsed = goParseForm(req.method, req.headers["content-type"], Buffer.alloc(0), rawQuery);
      return { postForm: new Map(), form: parsed.form, error: error.readError };
    }
  }
  // Another body is left unread, as Go's server treats one after the handler (at most 256 KiB discarded).
  else await discardUnreadBody(req);
  return goParseForm(req.method, req.headers["content-type"], body, rawQuery);
}

export interface PostForm {
  /** r.PostForm as text. */
  postForm: URLSearchParams;
  /** What ParseMultipartForm returned other than http.ErrNotMultipart. */
  error: string | undefined;
}

/**
 * r.ParseMultipartForm, then r.PostForm (Hydra introspectOAuth2Token,
 * fosite NewRevocationRequest): ParseForm runs first, but for any body
 * that is not multipart/form-data ParseMultipartForm answers
 * http.ErrNotMultipart, which those callers ignore, and ParseForm's error
 * with it — the urlencoded pairs that parsed are all there is. A multipart
 * body adds its non-file values; then a missing boundary, a body that does
 * not parse or ParseForm's error (the query's) is the error.
 */
export async function readMultipartPostForm(req: IncomingMessage): Promise<PostForm> {
  const contentType = req.headers["content-type"];
  const multipart = goMultipartForm(contentType);
  if (multipart.kind !== "multipart") {
    const { postForm } = await readGoForm(req);
    return { postForm: storableParams(postForm), error: multipart.kind === "error" ? multipart.error : undefined };
  }
  const parsed = goParseForm(req.method, contentType, Buffer.alloc(0), rawQueryOf(req));
  let body: Buffer;
  try {
    body = await readBodyBytes(req);
  } catch (error) {
    // ReadForm fails with the read's error; no part reaches r.PostForm.
    if (error instanceof BodyReadError) return { postForm: new URLSearchParams(), error: error.readError };
    throw error;
  }
  const read = readMultipartValues(body, contentType ?? "");
  if (!read.ok) return { postForm: new URLSearchParams(), error: read.error };
  if (!isStorableQuery(read.values))
    throw HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
  return { postForm: read.values, error: parsed.error };
}

/** fosite's r.ParseMultipartForm(1 << 20): 1 MiB of file bytes in memory, values up to that plus 10 MB. */
const FOSITE_MULTIPART_MAX_MEMORY = 1 << 20;

/**
 * ReadForm of a multipart body as fosite's ParseMultipartForm(1 << 20) runs
 * it (server-kit's port of Go's mime/multipart): the non-file values in
 * order as text, or ReadForm's error. A string body is the UTF-8 text it
 * was read as.
 */
export function readMultipartValues(
  body: Buffer | string,
  contentType: string,
): { ok: true; values: URLSearchParams } | { ok: false; error: string } {
  const multipart = goMultipartForm(contentType);
  if (multipart.kind !== "multipart")
    return { ok: false, error: multipart.kind === "error" ? multipart.error : "request Content-Type isn't multipart/form-data" };
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const form = goReadMultipartForm(bytes, multipart.boundary, FOSITE_MULTIPART_MAX_MEMORY);
  if (!form.ok) return form;
  const values = new URLSearchParams();
  for (const [key, list] of form.values) for (const value of list) values.append(utf8Text(key), utf8Text(value));
  return { ok: true, values };
}

/** The non-file fields of a multipart body, in order (Go keeps files apart in MultipartForm.File); undefined when ReadForm fails. */
export function multipartValues(body: Buffer | string, contentType: string): Promise<URLSearchParams | undefined> {
  const read = readMultipartValues(body, contentType);
  return Promise.resolve(read.ok ? read.values : undefined);
}
