import { createCipheriv, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { gobDecodeStringMap, gobEncodeStringMap } from "./gob";

/**
 * gorilla/securecookie as gorilla/sessions' CookieStore uses it for Kratos'
 * continuity cookie (driver/registry_default.go ContinuityCookieManager:
 * `sessions.NewCookieStore(SecretsSession...)`): the secrets pair up as
 * (hash key, block key), (hash key, block key)…; the first pair encodes, all
 * decode. A value is gob-serialised, AES-CTR encrypted (random IV first) when
 * the pair has a block key, base64 (URL alphabet, padded), then
 * `date|value|mac` with mac = HMAC-SHA256(hash key, `name|date|value`), and
 * base64 again. Values older than the store's max age (30 days) or longer
 * than 4096 characters do not decode; a block key that is not an AES key
 * length makes its codec fail, as securecookie.New does.
 */
export const SECURECOOKIE_MAX_AGE_SECONDS = 86400 * 30;
const MAX_LENGTH = 4096;
const AES_KEY_LENGTHS = new Set([16, 24, 32]);

interface Codec {
  hashKey: Buffer;
  blockKey?: Buffer;
}

export class SecureCookieError extends Error {}

/** SecretsSession: `secrets.cookie`, else `secrets.default`, else one random secret for the life of the process (as Kratos generates one). */
export function sessionSecrets(secrets: { default?: readonly string[] | undefined; cookie?: readonly string[] | undefined }): string[] {
  if (secrets.cookie && secrets.cookie.length > 0) return [...secrets.cookie];
  if (secrets.default && secrets.default.length > 0) return [...secrets.default];
  return [processSecret];
}
const processSecret = randomUUID();

/** securecookie.CodecsFromPairs. */
function codecsFromPairs(secrets: readonly string[]): Codec[] {
  const codecs: Codec[] = [];
  for (let i = 0; i < secrets.length; i += 2) {
    const hashKey = Buffer.from(secrets[i] ?? "", "utf8");
    const block = secrets[i + 1];
    codecs.push(block === undefined ? { hashKey } : { hashKey, blockKey: Buffer.from(block, "utf8") });
  }
  return codecs;
}

/** securecookie.EncodeMulti with the first codec. */
export function encodeSecureCookie(
  name: string,
  values: ReadonlyMap<string, string>,
  secrets: readonly string[],
  now = new Date(),
): string {
  const codec = codecsFromPairs(secrets)[0];
  if (!codec) throw new SecureCookieError("securecookie: no codecs provided");
  checkCodec(codec);
  let body = gobEncodeStringMap(values);
  if (codec.blockKey) {
    const iv = randomBytes(16);
    const cipher = createCipheriv(ctrAlgorithm(codec.blockKey), codec.blockKey, iv);
    body = Buffer.concat([iv, cipher.update(body), cipher.final()]);
  }
  const value = body.toString("base64url") + padding(body.length);
  const date = Math.floor(now.getTime() / 1000);
  const mac = macOf(codec.hashKey, `${name}|${date}|${value}`);
  const raw = Buffer.concat([Buffer.from(`${date}|${value}|`, "latin1"), mac]);
  const encoded = raw.toString("base64url") + padding(raw.length);
  if (encoded.length > MAX_LENGTH) throw new SecureCookieError("securecookie: the value is too long");
  return encoded;
}

/** securecookie.DecodeMulti: the values of the first codec that verifies the cookie, or an error. */
export function decodeSecureCookie(name: string, cookie: string, secrets: readonly string[], now = new Date()): Map<string, string> {
  let lastError = new SecureCookieError("securecookie: no codecs provided");
  for (const codec of codecsFromPairs(secrets)) {
    try {
      return decodeWith(codec, name, cookie, now);
    } catch (error) {
      lastError = error instanceof SecureCookieError ? error : new SecureCookieError(String(error));
    }
  }
  throw lastError;
}

function decodeWith(codec: Codec, name: string, cookie: string, now: Date): Map<string, string> {
  checkCodec(codec);
  if (cookie.length > MAX_LENGTH) throw new SecureCookieError("securecookie: the value is too long");
  const raw = base64Decode(cookie);
  const first = raw.indexOf(0x7c);
  const second = first < 0 ? -1 : raw.indexOf(0x7c, first + 1);
  if (second < 0) throw new SecureCookieError("securecookie: the value is not valid");
  const date = raw.subarray(0, first).toString("latin1");
  const value = raw.subarray(first + 1, second).toString("latin1");
  const mac = raw.subarray(second + 1);
  const expected = macOf(codec.hashKey, `${name}|${date}|${value}`);
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected))
    throw new SecureCookieError("securecookie: the value is not valid");
  if (!/^-?\d+$/.test(date)) throw new SecureCookieError("securecookie: invalid timestamp");
  const issued = Number(date);
  if (issued < Math.floor(now.getTime() / 1000) - SECURECOOKIE_MAX_AGE_SECONDS)
    throw new SecureCookieError("securecookie: expired timestamp");
  let body = base64Decode(value);
  if (codec.blockKey) {
    if (body.length <= 16) throw new SecureCookieError("securecookie: the value could not be decrypted");
    const decipher = createCipheriv(ctrAlgorithm(codec.blockKey), codec.blockKey, body.subarray(0, 16));
    body = Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]);
  }
  const values = gobDecodeStringMap(body);
  if (!values) throw new SecureCookieError("securecookie: error - caused by: gob: decoding failed");
  return values;
}

function checkCodec(codec: Codec): void {
  if (codec.hashKey.length === 0) throw new SecureCookieError("securecookie: hash key is not set");
  if (codec.blockKey && !AES_KEY_LENGTHS.has(codec.blockKey.length))
    throw new SecureCookieError(`crypto/aes: invalid key size ${codec.blockKey.length}`);
}

const ctrAlgorithm = (key: Buffer) => `aes-${key.length * 8}-ctr`;
const macOf = (key: Buffer, text: string) => createHmac("sha256", key).update(text, "latin1").digest();
const padding = (byteLength: number) => "=".repeat((3 - (byteLength % 3)) % 3);

/** base64.URLEncoding.DecodeString: the URL alphabet with padding, nothing else. */
function base64Decode(text: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new SecureCookieError("securecookie: the value is not valid");
  return Buffer.from(text, "base64url");
}
