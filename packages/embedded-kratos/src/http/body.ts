import { discardUnreadBody } from "@olympus/server-kit/http";
import { isStorableJson, unstorableReason } from "@olympus/server-kit/text";
import { errors, KratosError } from "./errors";
import type { HttpContext } from "./context";
import { parseMediaType } from "./negotiate";
import { decodeJsonSubmission, isRawField, rawFieldFromText } from "./json-submission";
import { submittedTextOf } from "./submitted-json";

/** Kratos cmd/daemon/serve.go wraps both ports in http.MaxBytesHandler(handler, 5*1024*1024). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** What Go's http.MaxBytesReader fails the read with past the cap (MaxBytesError.Error()). */
export const BODY_TOO_LARGE_MESSAGE = "http: request body too large";

/**
 * A body past MAX_BODY_BYTES. Each caller answers it as its Kratos handler
 * answers the MaxBytesReader error; left unmapped (the admin JSON Patch
 * handler, where Kratos' raw error becomes a 500) it is a 413, as this
 * server never answers bad input with a 5xx.
 */
export class BodyTooLargeError extends KratosError {
  constructor() {
    super(413, { reason: "The request body exceeds the maximum size of 5 MiB.", message: BODY_TOO_LARGE_MESSAGE });
  }
}

export type JsonObject = Record<string, unknown>;

/**
 * A body read that failed part-way on the connection (Go: the reader's
 * error, such as `read tcp …: i/o timeout` once ReadTimeout has passed,
 * read-deadline.ts), which cancels the request's context. Left unmapped it
 * is that raw error as herodot writes it (code 500 in the body) on the
 * cancelled context: 499. The decoders that word it as Kratos' handlers do
 * map it (readBodyOr), still answered 499.
 */
export class BodyReadError extends KratosError {
  constructor(readonly readError: string) {
    super(500, { message: readError });
    this.answerOnCancelledRequest();
  }
}

/** What a handler's read step met: Go's error text for the MaxBytesReader error or the connection's. */
export const readErrorText = (error: BodyTooLargeError | BodyReadError): string =>
  error instanceof BodyReadError ? error.readError : BODY_TOO_LARGE_MESSAGE;

/**
 * Reads the raw body as io.ReadAll does, refusing more than MAX_BODY_BYTES
 * with BodyTooLargeError (without buffering the excess) and a failed read
 * with BodyReadError. Go's MaxBytesReader also makes the server close the
 * connection after the answer (server.go requestTooLarge): the unread rest
 * is left to discardUnreadBody, and a rest it took whole still gets
 * `Connection: close`.
 */
export async function readRawBody(ctx: HttpContext): Promise<Buffer> {
  const declared = Number(ctx.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    // Go would read the cap's worth first and then fail; the answer is the same, so none of it is read here.
    await discardUnreadBody(ctx.req);
    throw new BodyTooLargeError();
  }
  const read = await collectBody(ctx.req, MAX_BODY_BYTES);
  if (read.outcome === "failed") throw new BodyReadError(read.error);
  if (read.outcome === "overCap") {
    await leaveRestPastCap(ctx);
    throw new BodyTooLargeError();
  }
  return read.bytes;
}

/**
 * Past the cap part-way (a chunked body, or a value a streaming decoder
 * read up to the cap): the rest is left as Go leaves an unread body, so the
 * answer still reaches the client (leaving a `for await` early would
 * destroy the request and its connection before any answer).
 */
export async function leaveRestPastCap(ctx: HttpContext): Promise<void> {
  await discardUnreadBody(ctx.req);
  // requestTooLarge sets closeAfterReply even when the rest was short enough for the discard to take it all.
  ctx.res.setHeader("Connection", "close");
}

/**
 * What collectBody read: the whole body (`ended`); the bytes up to where
 * `isComplete` said the caller has what it needs (`complete`, the rest
 * left unread); the first `limit` bytes of a longer body (`overCap`, as
 * MaxBytesReader hands them over with its error); or what arrived before
 * the read failed (`failed`, with Go's error text).
 */
export type CollectedBody =
  { outcome: "ended" | "complete" | "overCap"; bytes: Buffer } | { outcome: "failed"; bytes: Buffer; error: string };

/**
 * Reads the body up to `limit` bytes; `isComplete`, given each chunk in
 * turn, may stop the read early. Past the limit or once complete the stream
 * is paused, not destroyed. A body already read to its end (nosurf's form
 * read) reads as Go's spent body does, empty at once; a stream already torn
 * down emits nothing more and fails at once.
 */
export function collectBody(req: HttpContext["req"], limit: number, isComplete?: (chunk: Buffer) => boolean): Promise<CollectedBody> {
  if (req.readableEnded) return Promise.resolve({ outcome: "ended", bytes: Buffer.alloc(0) });
  if (req.destroyed) return Promise.resolve({ outcome: "failed", bytes: Buffer.alloc(0), error: "unexpected EOF" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: "ended" | "complete" | "overCap") => {
      stop();
      if (outcome !== "ended") req.pause();
      resolve({ outcome, bytes: Buffer.concat(chunks) });
    };
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      const room = limit - size;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      size += kept.length;
      chunks.push(kept);
      if (chunk.length > room) settle("overCap");
      else if (isComplete?.(chunk)) settle("complete");
    };
    const onEnd = () => settle("ended");
    // The client went away, broke the chunked framing or missed the read deadline (read-deadline.ts emits Go's error).
    const onError = (error: Error) => {
      stop();
      resolve({ outcome: "failed", bytes: Buffer.concat(chunks), error: error.message });
    };
    const onClose = () => {
      if (req.complete) return;
      stop();
      resolve({ outcome: "failed", bytes: Buffer.concat(chunks), error: "unexpected EOF" });
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

/**
 * readRawBody, with a failed read — past the cap or a broken connection —
 * answered as `answer` says (the caller's Kratos handler, given Go's error
 * text: both are the error its io.ReadAll returns), at 499 after a broken
 * connection (BodyReadError).
 */
export async function readBodyOr(ctx: HttpContext, answer: (readError: string) => Error): Promise<Buffer> {
  try {
    return await readRawBody(ctx);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw answer(BODY_TOO_LARGE_MESSAGE);
    if (error instanceof BodyReadError) {
      const answered = answer(error.readError);
      throw answered instanceof KratosError ? answered.answerOnCancelledRequest() : answered;
    }
    throw error;
  }
}

/**
 * Throws 400 when any string or key in a parsed body is not storable text
 * (NUL, unpaired UTF-16 surrogates) or the body nests too deeply: refused
 * at the door instead of failing later as a 500 in the middle of a write.
 */
export function assertStorable(value: unknown): void {
  const reason = unstorableReason(value);
  if (reason === "text")
    throw errors.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates).");
  if (reason === "depth") throw errors.badRequest("The request body is nested too deeply.");
}

/** The same check on a body still in its JSON text (for handlers that decode it themselves, e.g. JSON Patch). */
export function assertStorableJsonText(json: string): void {
  if (!isStorableJson(json))
    throw errors.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates).");
}

/**
 * decoderx decodeJSON's answer when io.ReadAll fails on the body (the
 * MaxBytesReader error included): a 400 whatever the method.
 */
export function unreadableJsonBody(readError: string): KratosError {
  return errors.badRequest(`Unable to read HTTP POST body: ${readError}`);
}

/** Parses a JSON value body (the native logout's decoderx HTTPJSONDecoder); malformed JSON is a 400 in Kratos' shape. */
export async function readJson(ctx: HttpContext): Promise<unknown> {
  const raw = await readBodyOr(ctx, unreadableJsonBody);
  if (raw.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8")) as unknown;
  } catch (error) {
    // A RangeError here is nesting deeper than the parser's stack: malformed for our purposes too.
    throw errors.badRequest(`Unable to decode the request body as JSON: ${(error as Error).message}`);
  }
  assertStorable(value);
  return value;
}

/**
 * A self-service body as the strategies' decoderx.Decode sees it: its
 * fields, or the 400 decoderx refuses it with. Kratos decodes in the
 * strategies, after the flow, session and expiry checks, and reports the
 * refusal through the flow's error handler: the handlers throw
 * `decodeError` at that point (the body itself is read here, once).
 */
export interface SelfServiceBody {
  fields: JsonObject;
  /** decoderx's validateRequest, requestBody or decodeJSONForm refusal; `fields` is then empty. */
  decodeError?: KratosError;
}

/**
 * The body read of a self-service submission failed: decoderx requestBody
 * (keepRequestBody, which every strategy's decode sets) wraps io.ReadAll's
 * error as `unable to read body: <err>` (errors.Wrapf), a plain error. The
 * strategy returns it, its flow's error handler finds no herodot error in
 * it (ui.Container.ParseError) and forwards it: herodot writes a plain
 * error with its default code 500 in the body (ToDefaultError), at the
 * status the flows' forward picks for it — x.RecoverStatusCode's fallback,
 * 400 (a browser's JSON request the error manager writes at 500 for login
 * and registration, 400 here: bad input never gets a 5xx). A connection
 * read error (the read deadline's `read tcp …: i/o timeout`, a client gone)
 * also cancels the request's context (net/http connReader.handleReadError,
 * the same in Go 1.19 and 1.26): herodot then answers 499 whatever the
 * status, and the error manager's insert fails, so browsers get the JSON
 * too (errorx Manager.Forward).
 */
export class UnreadableSubmissionError extends KratosError {
  constructor(readError: string, requestCancelled: boolean) {
    super(500, { message: `unable to read body: ${readError}` });
    if (requestCancelled) this.answerOnCancelledRequest();
    else this.answerWith(400);
  }
}

/** decoderx's default allowedContentTypes, as its validateRequest names them (`%v`). */
const DECODER_CONTENT_TYPES = "[multipart/form-data application/x-www-form-urlencoded application/json]";

/**
 * Go's r.ContentLength == 0 (decoderx validateRequest): a `Content-Length: 0`
 * or no length at all without chunked framing. A chunked body has no
 * declared length (-1) and is decoded, even when empty.
 */
function declaresNoBody(ctx: HttpContext): boolean {
  const length = ctx.header("content-length");
  if (length !== undefined) return /^\d+$/.test(length.trim()) && Number(length.trim()) === 0;
  return ctx.header("transfer-encoding") === undefined;
}

/**
 * Reads a self-service submission (oryx/decoderx Decode): JSON as
 * decodeJSONForm reads it (json-submission.ts: top-level values as form
 * text, a nested `traits` object with its text kept) or
 * `application/x-www-form-urlencoded` (dotted form keys such as
 * `traits.email` become nested objects). A multipart body has no fields
 * (decodeForm calls r.ParseForm, which leaves multipart bodies to
 * ParseMultipartForm). Query parameters never override body fields.
 * decoderx's refusals come back as `decodeError`, a failed body read (past
 * the cap, late) among them; what this server refuses at the door (not
 * storable) is thrown.
 */
export async function readSubmission(ctx: HttpContext): Promise<SelfServiceBody> {
  if (ctx.method === "GET") return { fields: {} };
  const refused = (decodeError: KratosError): SelfServiceBody => ({ fields: {}, decodeError });
  if (declaresNoBody(ctx)) {
    await discardUnreadBody(ctx.req);
    return refused(errors.badRequest('Unable to decode HTTP Request Body because its HTTP Header "Content-Length" is zero.'));
  }
  // decoderx picks its decoder with httpx.HasContentType, i.e. Go's mime.ParseMediaType:
  // `Application/JSON; charset=utf-8` is decoded as JSON although x.IsJSONRequest says it is not JSON.
  // An absent Content-Type is application/octet-stream to it, which no decoder takes.
  const header = ctx.header("content-type") ?? "";
  const type = header.trim() === "" ? undefined : parseMediaType(header);
  if (type !== "application/json" && type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
    // validateRequest refuses these before any read.
    await discardUnreadBody(ctx.req);
    return refused(
      errors.badRequest(
        `HTTP ${ctx.method.toUpperCase()} Request used unknown HTTP Header "Content-Type: ${header.trim()}", only ${DECODER_CONTENT_TYPES} are supported.`,
      ),
    );
  }
  let raw: Buffer;
  try {
    // requestBody reads the whole body first (io.ReadAll), whichever decoder then takes it, multipart included.
    raw = await readRawBody(ctx);
  } catch (error) {
    if (error instanceof BodyTooLargeError || error instanceof BodyReadError)
      return refused(new UnreadableSubmissionError(readErrorText(error), error instanceof BodyReadError));
    throw error;
  }
  // r.ParseForm leaves a multipart body to ParseMultipartForm, which decoderx never calls: no fields.
  if (type === "multipart/form-data") return { fields: {} };
  if (type === "application/json") {
    let decoded: JsonObject;
    try {
      decoded = decodeJsonSubmission(raw);
    } catch (error) {
      if (error instanceof KratosError) return refused(error);
      throw error;
    }
    const fields = nestFlattenedFields(decoded);
    assertStorable(fields);
    return { fields };
  }
  const form = formToObject(new URLSearchParams(raw.toString("utf8")));
  try {
    setRawFormFields(form);
  } catch (error) {
    if (error instanceof KratosError) return refused(error);
    throw error;
  }
  assertStorable(form);
  return { fields: form };
}

/** decodeURLValues sets a form's `traits=<text>` raw, as a JSON body's (json-submission.ts rawFieldFromText). */
function setRawFormFields(form: JsonObject): void {
  for (const [key, value] of Object.entries(form)) {
    if (!isRawField(key) || typeof value !== "string") continue;
    const decoded = rawFieldFromText(key, value);
    if (decoded === undefined) delete form[key];
    else form[key] = decoded;
  }
}

/** Key segments that would reach Object.prototype through a dotted form key (prototype pollution). */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);
/** Dotted keys deeper than this are refused: no form Kratos renders nests more than a few levels. */
const MAX_FORM_KEY_DEPTH = 16;

export function formToObject(form: URLSearchParams): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of form) setFormField(out, key, value);
  return out;
}

/** Sets a (dotted) form field into `out`, creating the objects on its way. */
function setFormField(out: JsonObject, key: string, value: string): void {
  const parts = key.split(".");
  if (parts.some((p) => FORBIDDEN_SEGMENTS.has(p)))
    throw errors.badRequest("A form field name uses a reserved segment (__proto__, prototype or constructor).");
  if (parts.length > MAX_FORM_KEY_DEPTH) throw errors.badRequest("A form field name is nested too deeply.");
  let node: JsonObject = out;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] ?? "";
    const next = node[part];
    if (typeof next === "object" && next !== null && !Array.isArray(next)) node = next as JsonObject;
    else {
      const created: JsonObject = {};
      node[part] = created;
      node = created;
    }
  }
  const leaf = parts[parts.length - 1] ?? "";
  // Checkbox groups and repeated keys: the last value wins, as in Kratos' form decoder for scalars.
  node[leaf] = value;
}

/**
 * decodeJSONForm reads flattened JSON keys (`{"traits.email": "…"}`) as
 * form fields: they are nested as formToObject nests a form's. A `traits`
 * object the body gave as well is copied first, so the text kept for it no
 * longer stands for what it then holds.
 */
function nestFlattenedFields(submission: JsonObject): JsonObject {
  const flattened = Object.entries(submission).filter(([key]) => key.includes("."));
  if (flattened.length === 0) return submission;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(submission)) {
    if (!key.includes(".")) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  for (const [key, value] of flattened) {
    if (typeof value !== "string") continue;
    const head = key.slice(0, key.indexOf("."));
    const kept = FORBIDDEN_SEGMENTS.has(head) ? undefined : out[head];
    if (typeof kept === "object" && kept !== null && !Array.isArray(kept) && submittedTextOf(kept) !== undefined) out[head] = { ...kept };
    setFormField(out, key, value);
  }
  return out;
}
