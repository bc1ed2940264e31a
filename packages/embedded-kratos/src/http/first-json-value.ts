import { decoderNeedsMore } from "@olympus/server-kit/go-json";
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

/**
 * Watches the chunks of a body for the end of its first value, without
 * checking its syntax (the decoder does that on the bytes read): an object
 * or array ends when its brackets balance outside strings (readValue
 * invents the space after `}`/`]`), a string with the byte after its
 * closing quote (scanEnd is delayed one byte, and only objects and arrays
 * get the invented space). A number or literal at the top level never ends
 * early here (Go needs the byte after it too; such a body is read to its
 * end or the cap). Whitespace before the value is skipped.
 */
export class FirstValueEnd {
  private kind: "pending" | "container" | "string" | "closedString" | "scalar" | "done" = "pending";
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Feeds the next chunk; true once the first value is complete. */
  feed(chunk: Uint8Array): boolean {
    for (const byte of chunk) {
      if (this.step(byte)) {
        this.kind = "done";
        return true;
      }
    }
    return this.kind === "done";
  }

  private step(byte: number): boolean {
    switch (this.kind) {
      case "done":
        return true;
      case "scalar":
        return false;
      case "closedString":
        return true;
      case "pending":
        if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) return false;
        if (byte === 0x7b || byte === 0x5b) {
          this.kind = "container";
          this.depth = 1;
        } else if (byte === 0x22) {
          this.kind = "string";
          this.inString = true;
        } else this.kind = "scalar";
        return false;
      default:
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (byte === 0x5c) this.escaped = true;
          else if (byte === 0x22) {
            this.inString = false;
            if (this.kind === "string") this.kind = "closedString";
          }
          return false;
        }
        if (byte === 0x22) this.inString = true;
        else if (byte === 0x7b || byte === 0x5b) this.depth++;
        else if (byte === 0x7d || byte === 0x5d) return --this.depth === 0;
        return false;
    }
  }
}

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
