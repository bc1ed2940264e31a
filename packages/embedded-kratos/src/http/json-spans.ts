/**
 * Where each member value of a JSON object starts and ends in its bytes:
 * gjson's Result.Raw is that slice as written (spacing included), which is
 * what decodeJSONForm makes the form value of an object or array given to a
 * text field. Only for text Go's scanner already accepted (scanGoJson): no
 * error handling beyond that.
 */

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** The index just past the string starting at `i` (its opening quote). */
function endOfString(bytes: Uint8Array, i: number): number {
  let at = i + 1;
  while (bytes[at] !== 0x22) at += bytes[at] === 0x5c ? 2 : 1;
  return at + 1;
}

/** The index just past the value starting at `i`. */
function endOfValue(bytes: Uint8Array, i: number): number {
  const first = bytes[i];
  if (first === 0x22) return endOfString(bytes, i);
  if (first !== 0x7b && first !== 0x5b) {
    let at = i;
    while (at < bytes.length && !isSpace(bytes[at]) && bytes[at] !== 0x2c && bytes[at] !== 0x7d && bytes[at] !== 0x5d) at++;
    return at;
  }
  let depth = 0;
  let at = i;
  do {
    const b = bytes[at];
    if (b === 0x22) {
      at = endOfString(bytes, at);
      continue;
    }
    if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) depth--;
    at++;
  } while (depth > 0);
  return at;
}

/** The [start, end) of each member value of the object that `bytes` begins with (after any spacing), in order. */
export function objectMemberSpans(bytes: Uint8Array): [start: number, end: number][] {
  const spans: [number, number][] = [];
  let at = 0;
  const skipSpace = () => {
    while (isSpace(bytes[at])) at++;
  };
  skipSpace();
  at++; // the opening brace
  for (;;) {
    skipSpace();
    if (bytes[at] === 0x7d || at >= bytes.length) return spans;
    at = endOfString(bytes, at);
    skipSpace();
    at++; // the colon
    skipSpace();
    const start = at;
    at = endOfValue(bytes, at);
    spans.push([start, at]);
    skipSpace();
    if (bytes[at] === 0x2c) at++;
  }
}
