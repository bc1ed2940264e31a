/**
 * Content negotiation exactly as Kratos runs it: golang/gddo's
 * `httputil.NegotiateContentType` over `header.ParseAccept` (the gddo revision
 * Kratos v26.2 pins, 72a348e765d2). Kratos decides "browser or API client" with it
 * (x.IsJSONRequest, x.AcceptsJSON), so its quirks matter: offers are tried in
 * order and the earlier offer wins a tie whatever the order of the Accept entries,
 * media types compare case-sensitively, and an entry carrying a parameter other
 * than a leading `q=` ends the parsing of that header line.
 */

export interface AcceptSpec {
  value: string;
  q: number;
}

const SEPARATORS = ' \t"(),/:;<=>?@[]\\{}';

function isTokenChar(code: number): boolean {
  return code > 31 && code < 127 && !SEPARATORS.includes(String.fromCharCode(code));
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

function skipSpace(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

function expectTokenSlash(s: string): [string, string] {
  let i = 0;
  while (i < s.length && (isTokenChar(s.charCodeAt(i)) || s[i] === "/")) i++;
  return [s.slice(0, i), s.slice(i)];
}

/** gddo's expectQuality: `0` or `1`, optionally followed by `.` and digits; -1 when malformed. */
function expectQuality(s: string): [number, string] {
  let q: number;
  if (s.startsWith("0")) q = 0;
  else if (s.startsWith("1")) q = 1;
  else return [-1, ""];
  let rest = s.slice(1);
  if (!rest.startsWith(".")) return [q, rest];
  rest = rest.slice(1);
  let i = 0;
  let n = 0;
  let d = 1;
  while (i < rest.length && rest[i]! >= "0" && rest[i]! <= "9") {
    n = n * 10 + Number(rest[i]);
    d *= 10;
    i++;
  }
  return [q + n / d, rest.slice(i)];
}

/** gddo's header.ParseAccept over every `Accept` header line of the request. */
export function parseAccept(lines: readonly string[]): AcceptSpec[] {
  const specs: AcceptSpec[] = [];
  for (const line of lines) {
    let s = line;
    for (;;) {
      const [value, afterValue] = expectTokenSlash(s);
      if (value === "") break;
      let q = 1;
      s = skipSpace(afterValue);
      if (s.startsWith(";")) {
        s = skipSpace(s.slice(1));
        if (!s.startsWith("q=")) break;
        [q, s] = expectQuality(s.slice(2));
        if (q < 0) break;
      }
      specs.push({ value, q });
      s = skipSpace(s);
      if (!s.startsWith(",")) break;
      s = skipSpace(s.slice(1));
    }
  }
  return specs;
}

/** gddo's httputil.NegotiateContentType. */
export function negotiateContentType(acceptLines: readonly string[], offers: readonly string[], defaultOffer: string): string {
  let bestOffer = defaultOffer;
  let bestQ = -1;
  let bestWild = 3;
  const specs = parseAccept(acceptLines);
  for (const offer of offers) {
    for (const spec of specs) {
      if (spec.q === 0 || spec.q < bestQ) continue;
      if (spec.value === "*/*") {
        if (spec.q > bestQ || bestWild > 2) [bestQ, bestWild, bestOffer] = [spec.q, 2, offer];
      } else if (spec.value.endsWith("/*")) {
        if (offer.startsWith(spec.value.slice(0, -1)) && (spec.q > bestQ || bestWild > 1))
          [bestQ, bestWild, bestOffer] = [spec.q, 1, offer];
      } else if (spec.value === offer && (spec.q > bestQ || bestWild > 0)) {
        [bestQ, bestWild, bestOffer] = [spec.q, 0, offer];
      }
    }
  }
  return bestOffer;
}
