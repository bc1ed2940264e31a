import type { Random } from "./random";

/**
 * Hostile values the fuzzers put into every string position: SQL, script
 * and template injection, path tricks, control and NUL characters, odd
 * Unicode, and sizes from empty to hundreds of kilobytes.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE identities; --",
  "\"; DELETE FROM sessions WHERE '1'='1",
  "1; SELECT pg_sleep(10)--",
  "admin'--",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  '{{ .Identity.traits }}{{ template "x" }}',
  "${7*7}#{7*7}",
  "../../../../etc/passwd",
  "%2e%2e%2f%2e%2e%2f",
  "\u0000",
  "a\u0000b",
  "\r\nSet-Cookie: injected=1",
  "\u202e\u0000\ufeff\ud800",
  "😀".repeat(50),
  "",
  " ",
  "null",
  "__proto__",
  "constructor",
  "-1",
  "99999999999999999999999",
  "NaN",
  "ory_st_" + "A".repeat(32),
  "x".repeat(5000),
];

export function hostileString(rng: Random): string {
  if (rng.chance(0.05)) return "y".repeat(rng.int(10_000, 300_000));
  if (rng.chance(0.2)) return `${rng.string(rng.int(1, 12))}@${rng.pick(["example.com", "ex ample.com", "", "[127.0.0.1]", "a.b"])}`;
  return rng.pick(HOSTILE_STRINGS);
}

/** Any JSON value of a random type, hostile where it is a string. */
export function hostileValue(rng: Random, depth = 0): unknown {
  switch (rng.int(0, 8)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5]);
    case 3:
      return depth < 3 ? Array.from({ length: rng.int(0, 4) }, () => hostileValue(rng, depth + 1)) : [];
    case 4:
      return depth < 3
        ? Object.fromEntries(Array.from({ length: rng.int(0, 4) }, () => [hostileKey(rng), hostileValue(rng, depth + 1)]))
        : {};
    default:
      return hostileString(rng);
  }
}

export function hostileKey(rng: Random): string {
  return rng.pick([
    "__proto__",
    "constructor",
    "prototype",
    "email",
    "traits",
    "password",
    "a.b.c",
    "",
    "x".repeat(300),
    "\u0000",
    "method",
  ]);
}

/** Broken JSON texts. */
export function brokenJson(rng: Random): string {
  return rng.pick([
    "{",
    '{"method":',
    "{'method':'password'}",
    '{"a":1,}',
    "[1,2",
    "NaN",
    '{"a":"\\u00"}',
    '{"a":"\\ud800"}',
    "\u0000",
    "}{",
    '{"a":1}{"b":2}',
    "[".repeat(rng.int(1000, 200_000)),
    `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
    `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`,
  ]);
}

/** Bytes that are not valid UTF-8, inside otherwise plausible JSON or form bodies. */
export function invalidUtf8(rng: Random, form: boolean): Buffer {
  const bad = rng.pick([
    Buffer.from([0xc3, 0x28]),
    Buffer.from([0xff, 0xfe]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
  ]);
  return form
    ? Buffer.concat([Buffer.from("method=password&identifier="), bad, Buffer.from("&password=x")])
    : Buffer.concat([
        Buffer.from('{"method":"password","identifier":"'),
        bad,
        Buffer.from('","traits":{"email":"'),
        bad,
        Buffer.from('"}}'),
      ]);
}

/** encodeURIComponent that survives lone surrogates (sent as the invalid UTF-8 bytes %ED%A0%80). */
export function encode(value: string): string {
  return Array.from(value, (ch) => {
    const code = ch.charCodeAt(0);
    return ch.length === 1 && code >= 0xd800 && code <= 0xdfff ? "%ED%A0%80" : encodeURIComponent(ch);
  }).join("");
}
