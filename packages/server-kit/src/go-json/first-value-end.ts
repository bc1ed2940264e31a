/**
 * Where json.Decoder.Decode stops reading a body (json/stream.go
 * readValue): it reads until its first value is complete and no further,
 * so a handler that decodes one value answers whatever follows it.
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
