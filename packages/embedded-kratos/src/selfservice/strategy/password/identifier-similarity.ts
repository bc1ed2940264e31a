import { goToLower } from "@olympus/server-kit/text";

/**
 * The identifier-similarity rule of Kratos' password policy
 * (selfservice/strategy/password/validator.go, DefaultPasswordValidator.validate),
 * on Go's strings: both sides lower-cased by strings.ToLower, the edit
 * distance over code points (arbovm/levenshtein, as Kratos pins it), the
 * longest common substring as lcsLength counts it, divided by the
 * password's length in UTF-8 bytes.
 */
const MIN_IDENTIFIER_PASSWORD_DISTANCE = 5;
const MAX_SUBSTRING_THRESHOLD = 0.5;

/**
 * Kratos' lcsLength allocates len(identifier)·len(password) ints, so a long
 * identifier costs it memory and time without bound. Longer identifiers are
 * not compared here (a robustness cap, listed in the README's Known
 * differences); a long password needs no cap, see isTooSimilarToIdentifier.
 */
export const MAX_SIMILARITY_IDENTIFIER_RUNES = 1024;

export function isTooSimilarToIdentifier(identifier: string, password: string): boolean {
  // A string holds at least half as many code points as UTF-16 units: a long identifier is capped before it is lowered and spread.
  if (identifier.length > 2 * MAX_SIMILARITY_IDENTIFIER_RUNES) return false;
  const a = [...goToLower(identifier)];
  if (a.length > MAX_SIMILARITY_IDENTIFIER_RUNES) return false;
  if (passwordTooLongToBeSimilar(a.length, password.length)) return false;
  const b = [...goToLower(password)];
  const passwordBytes = utf8Length(b);
  // Neither test can fire past these bounds: the distance is at least the
  // difference in code points, and the common run (counted in code points)
  // at most the identifier's, against the password's bytes.
  const distanceCanFire = b.length < a.length + MIN_IDENTIFIER_PASSWORD_DISTANCE;
  const substringCanFire = passwordBytes < 2 * a.length;
  if (!distanceCanFire && !substringCanFire) return false;
  if (goLevenshtein(a, b) < MIN_IDENTIFIER_PASSWORD_DISTANCE) return true;
  return goLcsLength(a, b) / passwordBytes > MAX_SUBSTRING_THRESHOLD;
}

/**
 * Whether a password of `passwordUnits` UTF-16 units is decided not too
 * similar to an identifier of `identifierRunes` code points without reading
 * it, by the two bounds isTooSimilarToIdentifier applies to its lowered code
 * points: it has at least half as many code points as units (goToLower keeps
 * their count, as strings.ToLower maps each on its own) and at least as many
 * UTF-8 bytes as code points. Past it neither test can fire, so a password
 * of megabytes costs nothing; short of it, the exact bounds and the
 * comparison run on fewer than 4 · MAX_SIMILARITY_IDENTIFIER_RUNES units.
 */
export function passwordTooLongToBeSimilar(identifierRunes: number, passwordUnits: number): boolean {
  const leastRunesAndBytes = Math.ceil(passwordUnits / 2);
  return leastRunesAndBytes >= identifierRunes + MIN_IDENTIFIER_PASSWORD_DISTANCE && leastRunesAndBytes >= 2 * identifierRunes;
}

/** arbovm/levenshtein Distance: insertions, deletions and substitutions of code points. */
export function goLevenshtein(a: readonly string[], b: readonly string[]): number {
  const column = Array.from({ length: a.length + 1 }, (_, y) => y);
  for (let x = 1; x <= b.length; x++) {
    column[0] = x;
    let lastDiagonal = x - 1;
    for (let y = 1; y <= a.length; y++) {
      const oldDiagonal = column[y] ?? 0;
      const cost = a[y - 1] === b[x - 1] ? 0 : 1;
      column[y] = Math.min(oldDiagonal + 1, (column[y - 1] ?? 0) + 1, lastDiagonal + cost);
      lastDiagonal = oldDiagonal;
    }
  }
  return column[a.length] ?? 0;
}

/**
 * validator.go lcsLength: ranges over both strings' code points but keys
 * its table by their byte offsets, so a run extends only from the cell one
 * byte before each side's code point — a common run goes on past ASCII
 * characters and starts afresh after any character of two or more bytes.
 */
export function goLcsLength(a: readonly string[], b: readonly string[]): number {
  const offsetsOfB = byteOffsets(b);
  const bytesOfB = utf8Length(b);
  // Runs ending at the previous code point of `a` when it was a single byte (its row in Kratos' table), by byte offset in `b`.
  let previous = new Int32Array(bytesOfB);
  let previousIsOneByte = false;
  let greatest = 0;
  a.forEach((x, i) => {
    const current = new Int32Array(bytesOfB);
    b.forEach((y, j) => {
      if (x !== y) return;
      const offset = offsetsOfB[j] ?? 0;
      const run = (i > 0 && previousIsOneByte && offset > 0 ? (previous[offset - 1] ?? 0) : 0) + 1;
      current[offset] = run;
      if (run > greatest) greatest = run;
    });
    previous = current;
    previousIsOneByte = utf8Length([x]) === 1;
  });
  return greatest;
}

function byteOffsets(runes: readonly string[]): number[] {
  let offset = 0;
  return runes.map((rune) => {
    const at = offset;
    offset += utf8Length([rune]);
    return at;
  });
}

function utf8Length(runes: readonly string[]): number {
  let bytes = 0;
  for (const rune of runes) {
    const point = rune.codePointAt(0) ?? 0;
    bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
  }
  return bytes;
}
