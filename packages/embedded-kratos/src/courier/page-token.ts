import { createHash, randomBytes } from "node:crypto";
import { SECRETBOX_NONCE_SIZE, secretboxOpen, secretboxSeal } from "@olympus/server-kit/crypto";
import { z } from "zod";
import { isUuid } from "../identity/repository";
import { goTimeToPostgres } from "./page-token-time";
import { now as timeNow } from "../clock/clock";
import { GoTime } from "../clock/go-time";

/**
 * The courier message list's page tokens: ory/x keysetpagination_v2
 * `PageToken`, sealed by ssoready/hyrumtoken (NaCl secretbox, random nonce,
 * padded URL-safe base64 of nonce ‖ tag ‖ ciphertext) around the JSON
 * `{"e":<expiry, now + 1h>,"c":[{"n":"created_at","o":1,"vt":…},{"n":"id","vu":…}]}`
 * (courier/message.go `PageToken`). Keys are SHA-512/256 of each
 * `secrets.pagination` entry (config.go `SecretsPagination`); the first seals,
 * all open, and a token that no key opens is tried with the all-zero
 * fallback key, which also seals when no secret is configured.
 */

export type PageTokenKey = Buffer;

const FALLBACK_KEY: PageTokenKey = Buffer.alloc(32);

/** config.go SecretsPagination: sha512.Sum512_256 of every secret. */
export function paginationKeys(secrets: readonly string[] | undefined): PageTokenKey[] {
  return (secrets ?? []).map((secret) => createHash("sha512-256").update(secret, "utf8").digest());
}

/** keysetpagination_v2 Order: ascending is 0 (omitted from the JSON), descending 1. */
const ORDER_DESCENDING = 1;

/** One column of a page token, its value as the token carried it. */
export interface PageTokenColumn {
  name: string;
  order: number;
  nullable: boolean;
  hasConstraint: boolean;
  /** `vt` time text, `vu` UUID, `v` any other JSON, `vi` integer; null for `vn` or no value. */
  value: { kind: "time" | "uuid"; text: string } | { kind: "any"; json: unknown } | { kind: "int"; value: number } | null;
}

/** Go's time.Time JSON: RFC 3339 with nanoseconds, trailing zeros trimmed; `Z` in UTC. */
export function goTimeJson(utcText: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(utcText);
  if (!match) throw new RangeError(`not a UTC time: ${utcText}`);
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  return `${match[1]}${fraction ? `.${fraction}` : ""}Z`;
}

/** Message.PageToken of a message (created_at as Postgres' microsecond UTC text). */
export function messagePageToken(position: { createdAt: string; id: string }): PageTokenColumn[] {
  return [
    {
      name: "created_at",
      order: ORDER_DESCENDING,
      nullable: false,
      hasConstraint: false,
      value: { kind: "time", text: position.createdAt },
    },
    { name: "id", order: 0, nullable: false, hasConstraint: false, value: { kind: "uuid", text: position.id } },
  ];
}

/** Message.DefaultPageToken: the nil id at 2200-12-31 23:59:59 UTC, before every message. */
export const DEFAULT_MESSAGE_PAGE_TOKEN = messagePageToken({
  createdAt: "2200-12-31T23:59:59Z",
  id: "00000000-0000-0000-0000-000000000000",
});

/** PageToken.MarshalJSON: `e` is now + 1 hour. */
function tokenJson(columns: readonly PageTokenColumn[], now: Date): string {
  return JSON.stringify({
    e: GoTime.from(now).add(3_600_000).toISOString(),
    c: columns.map((col) => ({
      n: col.name,
      ...(col.order !== 0 ? { o: col.order } : {}),
      ...(col.nullable ? { nl: true } : {}),
      ...(col.hasConstraint ? { hc: true } : {}),
      ...(col.value?.kind === "time" ? { vt: goTimeJson(col.value.text) } : {}),
      ...(col.value?.kind === "uuid" ? { vu: col.value.text } : {}),
    })),
  });
}

/** PageToken.Encrypt + hyrumtoken.Marshal with the first key (else the fallback key). */
export function encryptPageToken(columns: readonly PageTokenColumn[], keys: readonly PageTokenKey[], now: Date = timeNow()): string {
  const key = keys[0] ?? FALLBACK_KEY;
  const nonce = randomBytes(SECRETBOX_NONCE_SIZE);
  const box = secretboxSeal(Buffer.from(tokenJson(columns, now), "utf8"), nonce, key);
  return Buffer.concat([nonce, box]).toString("base64url") + "=".repeat((3 - ((nonce.length + box.length) % 3)) % 3);
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * base64.URLEncoding.DecodeString (padded, newlines skipped): the bytes, or
 * the input offset Go's CorruptInputError names.
 */
export function goBase64UrlDecode(src: Buffer): { bytes: Buffer } | { corruptAt: number } {
  const out: number[] = [];
  const isNewline = (b: number | undefined) => b === 0x0a || b === 0x0d;
  let si = 0;
  for (;;) {
    // decodeQuantum
    const quantum: number[] = [];
    let done = false;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { bytes: Buffer.from(out) };
        return { corruptAt: si - j };
      }
      const c = src[si] ?? 0;
      si++;
      const v = BASE64URL.indexOf(String.fromCharCode(c));
      if (c < 0x80 && v >= 0) {
        quantum.push(v);
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) return { corruptAt: si - 1 };
      if (j < 2) return { corruptAt: si - 1 };
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return { corruptAt: src.length };
        if (src[si] !== 0x3d) return { corruptAt: si - 1 };
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) return { corruptAt: si };
      done = true;
      break;
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const value = (a << 18) | (b << 12) | (c << 6) | d;
    const bytes = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff].slice(0, quantum.length - 1);
    out.push(...bytes);
    if (done) return { bytes: Buffer.from(out) };
  }
}

const goTimeText = z.string().refine((text) => goTimeToPostgres(text) !== undefined);
const tokenSchema = z.object({
  e: goTimeText.optional(),
  c: z
    .array(
      z.object({
        n: z.string().optional(),
        o: z.number().int().optional(),
        nl: z.boolean().optional(),
        hc: z.boolean().optional(),
        v: z.unknown().optional(),
        vt: goTimeText.nullable().optional(),
        vu: z.string().refine(isUuid).nullable().optional(),
        vi: z.number().int().nullable().optional(),
        vn: z.boolean().optional(),
      }),
    )
    .nullable()
    .optional(),
});

export type PageTokenResult =
  | { kind: "ok"; columns: PageTokenColumn[] }
  | { kind: "decode"; offset: number }
  | { kind: "decrypt" }
  | { kind: "unmarshal" }
  | { kind: "expired" };

/** hyrumtoken.Unmarshal into a PageToken with one key. */
function openWith(key: PageTokenKey, bytes: Buffer, now: Date): PageTokenResult {
  // Go's hyrumtoken slices the nonce off unchecked, so Kratos panics (500) on a box shorter than a nonce; here that is a box that does not open.
  if (bytes.length < SECRETBOX_NONCE_SIZE) return { kind: "decrypt" };
  const plain = secretboxOpen(bytes.subarray(SECRETBOX_NONCE_SIZE), bytes.subarray(0, SECRETBOX_NONCE_SIZE), key);
  if (!plain) return { kind: "decrypt" };
  let json: unknown;
  try {
    json = JSON.parse(plain.toString("utf8"));
  } catch {
    return { kind: "unmarshal" };
  }
  const parsed = tokenSchema.safeParse(json);
  if (!parsed.success) return { kind: "unmarshal" };
  const columns = (parsed.data.c ?? []).map((col): PageTokenColumn => ({
    name: col.n ?? "",
    order: col.o ?? 0,
    nullable: col.nl ?? false,
    hasConstraint: col.hc ?? false,
    // PageToken.UnmarshalJSON's precedence: null, any, UUID, time, integer.
    value:
      col.vn === true
        ? null
        : col.v !== undefined && col.v !== null
          ? { kind: "any", json: col.v }
          : col.vu
            ? { kind: "uuid", text: col.vu.toLowerCase() }
            : col.vt
              ? { kind: "time", text: col.vt }
              : col.vi !== undefined && col.vi !== null
                ? { kind: "int", value: col.vi }
                : null,
  }));
  // A missing `e` is Go's zero time, long expired.
  const expiresAt = parsed.data.e === undefined ? 0 : Date.parse(parsed.data.e);
  if (!(expiresAt >= now.getTime())) return { kind: "expired" };
  return { kind: "ok", columns };
}

/**
 * keysetpagination_v2 ParsePageToken: each configured key in turn, then the
 * fallback key, whose failure is the answer — so a token sealed with a
 * configured key that has expired reads as one that does not decrypt.
 */
export function parsePageToken(raw: Buffer, keys: readonly PageTokenKey[], now = new Date()): PageTokenResult {
  const decoded = goBase64UrlDecode(raw);
  if ("corruptAt" in decoded) return { kind: "decode", offset: decoded.corruptAt };
  for (const key of keys) {
    const opened = openWith(key, decoded.bytes, now);
    if (opened.kind === "ok") return opened;
  }
  return openWith(FALLBACK_KEY, decoded.bytes, now);
}

/** Paginator.validatePageToken: the token's columns must be the default token's, in order (name, order, nullable). */
export function matchesMessageColumns(columns: readonly PageTokenColumn[]): boolean {
  return (
    columns.length === DEFAULT_MESSAGE_PAGE_TOKEN.length &&
    columns.every((col, i) => {
      const def = DEFAULT_MESSAGE_PAGE_TOKEN[i];
      return def !== undefined && col.name === def.name && col.order === def.order && col.nullable === def.nullable;
    })
  );
}
