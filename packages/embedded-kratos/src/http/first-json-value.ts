import { decoderNeedsMore, FirstValueEnd } from "@olympus/server-kit/go-json";
import { discardUnreadBody } from "@olympus/server-kit/http";
import { BodyReadError, BodyTooLargeError, collectBody, leaveRestPastCap, MAX_BODY_BYTES } from "./body";
import type { HttpContext } from "./context";

/**
 * A body read as a json.Decoder on the request's body reads it
 * (jsonx.NewStrictDecoder(r.Body).Decode in identity/handler.go create and
 * batchPatchIdentities): the decoder reads until its first value is
 * complete and no further, so a value that ends within the 5 MiB cap is
 * decoded whatever follows it — more JSON, garbage, megabytes of padding —
 * and a value still open when the read fails (the cap, a late body) is
 * answered with the read's error. Never more than the cap is buffered.
 */

/** Moved to server-kit (the embedded Hydra reads its decoders' bodies the same way); kept here for this module's callers. */
export { FirstValueEnd };

/**
 * Reads the body as far as json.Decoder.Decode reads it: returns bytes
 * holding the first value (or a syntax error), for the caller's decoder to
 * decode as Go does. Throws BodyTooLargeError when the value is still open
 * at the cap and BodyReadError when the read failed before it closed. A
 * rest left unread is treated as Go's server treats a body the handler did
 * not finish (server-kit unread-body.ts: up to 256 KiB discarded, else the
 * connection closes after the answer).
 */
export async function readFirstJsonValue(ctx: HttpContext): Promise<Buffer> {
  const end = new FirstValueEnd();
  const read = await collectBody(ctx.req, MAX_BODY_BYTES, (chunk) => end.feed(chunk));
  if (read.outcome === "overCap") {
    // The decoder's read crossed the cap (requestTooLarge): the connection closes after the answer, decoded or not.
    await leaveRestPastCap(ctx);
    if (decoderNeedsMore(read.bytes)) throw new BodyTooLargeError();
  } else if (read.outcome === "failed") {
    if (decoderNeedsMore(read.bytes)) throw new BodyReadError(read.error);
  } else if (read.outcome === "complete") {
    // The value closed before the body did: what follows is what the handler leaves unread.
    // Go knows how much of a Content-Length body is left; a long rest is not waited for.
    await discardUnreadBody(ctx.req, read.bytes.length);
  }
  return read.bytes;
}
