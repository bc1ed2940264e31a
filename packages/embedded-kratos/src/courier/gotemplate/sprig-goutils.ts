/**
 * Masterminds/goutils v1.1.1 (pinned by sprig v3.3.0) as sprig's `wrap`,
 * `wrapWith` and `abbrevboth` call it: WordUtils.WrapCustom and
 * StringUtils.AbbreviateFull. Both measure and cut Go strings by bytes, so
 * the text is handled as UTF-8 bytes here too (a cut through a character
 * leaves U+FFFD, as printing Go's invalid UTF-8 would).
 */

import { guardLength } from "./sprig-limits";

const SPACE = 0x20;

const utf8 = (bytes: Buffer) => bytes.toString("utf8");

/** wordutils.go WrapCustom: breaks at the last space within `width` bytes; `wrapLongWords` cuts a longer word. */
export function wrapCustom(text: string, width: number, newline: string, wrapLongWords: boolean): string {
  if (text === "") return "";
  const separator = Buffer.from(newline === "" ? "\n" : newline, "utf8");
  const bytes = Buffer.from(text, "utf8");
  const wrapLength = width < 1 ? 1 : width;
  const out: Buffer[] = [];
  let offset = 0;
  // A long separator repeated for every short piece could build far more than the text: the built length is capped.
  let built = 0;
  const push = (...pieces: Buffer[]) => {
    for (const piece of pieces) built += piece.length;
    guardLength(built);
    out.push(...pieces);
  };
  while (bytes.length - offset > wrapLength) {
    if (bytes[offset] === SPACE) {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const space = bytes.subarray(offset, end).lastIndexOf(SPACE);
    if (space >= 0) {
      push(bytes.subarray(offset, offset + space), separator);
      offset += space + 1;
    } else if (wrapLongWords) {
      push(bytes.subarray(offset, offset + wrapLength), separator);
      offset += wrapLength;
    } else {
      const next = bytes.indexOf(SPACE, offset + wrapLength);
      if (next === -1) {
        push(bytes.subarray(offset));
        offset = bytes.length;
      } else {
        push(bytes.subarray(offset, next), separator);
        offset = next + 1;
      }
    }
  }
  push(bytes.subarray(offset));
  return utf8(Buffer.concat(out));
}

/** stringutils.go AbbreviateFull on bytes; `undefined` for its errors (sprig prints the empty string then). */
function abbreviateFull(bytes: Buffer, start: number, maxWidth: number): Buffer | undefined {
  const length = bytes.length;
  if (length === 0) return bytes;
  if (maxWidth < 4) return undefined;
  if (length <= maxWidth) return bytes;
  let offset = Math.min(start, length);
  if (length - offset < maxWidth - 3) offset = length - (maxWidth - 3);
  const marker = Buffer.from("...");
  if (offset <= 4) return Buffer.concat([bytes.subarray(0, maxWidth - 3), marker]);
  if (maxWidth < 7) return undefined;
  if (offset + maxWidth - 3 < length) {
    return Buffer.concat([marker, abbreviateFull(bytes.subarray(offset), 0, maxWidth - 3) ?? Buffer.alloc(0)]);
  }
  return Buffer.concat([marker, bytes.subarray(length - (maxWidth - 3))]);
}

/** sprig strings.go abbrevboth: too small a width leaves the text as it is. */
export function abbrevboth(left: number, right: number, text: string): string {
  if (right < 4 || (left > 0 && right < 7)) return text;
  const abbreviated = abbreviateFull(Buffer.from(text, "utf8"), left, right);
  return abbreviated === undefined ? "" : utf8(abbreviated);
}
