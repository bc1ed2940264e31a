import { createCipheriv, createHash, createHmac, pbkdf2, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { createHMAC, createMD4 } from "hash-wasm";
import { argon2Engine, type Argon2Engine, type GoArgon2Params } from "./argon2-go";
import { md5CryptKey, shaCryptKey } from "./crypt";
import {
  decodeArgon2,
  decodeCrypt,
  decodeFirebaseScrypt,
  decodeHmac,
  decodePbkdf2,
  decodeSaltedDigest,
  decodeScrypt,
  decodeSsha,
  type ScryptHash,
} from "./decoders";

/**
 * Kratos' hash comparator (hash/hash_comparator.go): which stored password
 * hashes a login accepts, recognised by prefix in Kratos' order. Imports are
 * checked with the same prefixes only (IsValidHashFormat), so a hash with a
 * known prefix but a broken body is imported and then never matches, as in
 * Kratos.
 */

/** The expensive primitives, run off the event loop (worker threads). */
export interface HashPrimitives {
  bcryptCompare(password: string, hash: string): Promise<boolean>;
  /** golang.org/x/crypto/argon2 IDKey / Key, computed by the engine argon2Engine chose. */
  argon2(
    variant: "argon2id" | "argon2i",
    password: string,
    salt: Uint8Array,
    params: GoArgon2Params,
    engine: Argon2Engine,
  ): Promise<Buffer>;
}

// The cheap digests answer synchronously; the caller awaits either kind inside one try.
type Comparator = (password: string, hash: string, primitives: HashPrimitives) => Promise<boolean> | boolean;

interface SupportedHash {
  name: string;
  is: RegExp;
  compare: Comparator;
}

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const utf8 = (password: string) => Buffer.from(password, "utf8");

/** Go's bcrypt and argon2 adjustments, so these hashes verify exactly where Kratos verifies them. */
const MAX_BCRYPT_PASSWORD_BYTES = 72;

const compareBcrypt: Comparator = async (password, hash, primitives) => {
  // Kratos refuses passwords bcrypt would silently cut (hash_bcrypt.go, validateBcryptPasswordLength).
  if (utf8(password).length > MAX_BCRYPT_PASSWORD_BYTES) return false;
  // Go's bcrypt derives the key the same way whatever the minor version letter ($2$, $2a$, $2b$, $2y$, $2z$).
  const normalised = hash.replace(/^\$2[abzy]?\$/, "$2a$");
  return primitives.bcryptCompare(password, normalised);
};

function compareArgon2(variant: "argon2id" | "argon2i"): Comparator {
  return async (password, hash, primitives) => {
    const decoded = decodeArgon2(hash);
    // Go's argon2 panics on zero passes or lanes and on an empty key (BLAKE2b of size 0): no match here.
    if (!decoded || decoded.iterations < 1 || decoded.parallelism < 1 || decoded.key.length === 0) return false;
    const params: GoArgon2Params = {
      memoryKiB: decoded.memoryKiB,
      iterations: decoded.iterations,
      parallelism: decoded.parallelism,
      hashLength: decoded.key.length,
    };
    const engine = argon2Engine(decoded.salt.length, params);
    if (!engine) return false;
    const derived = await primitives.argon2(variant, password, decoded.salt, params, engine);
    return sameBytes(derived, decoded.key);
  };
}

const comparePbkdf2: Comparator = async (password, hash) => {
  const decoded = decodePbkdf2(hash);
  if (!decoded) return false;
  if (decoded.key.length === 0) return true;
  const derived = await pbkdf2Async(utf8(password), decoded.salt, Math.max(decoded.iterations, 1), decoded.key.length, decoded.digest);
  return sameBytes(derived, decoded.key);
};

async function scryptKey(
  password: Buffer,
  salt: Buffer,
  params: Pick<ScryptHash, "cost" | "blockSize" | "parallelization">,
  keyLength: number,
): Promise<Buffer | undefined> {
  const { cost: N, blockSize: r, parallelization: p } = params;
  // Go's scrypt has no memory ceiling; Node's needs one large enough for the parameters.
  const maxmem = 128 * N * r * (p + 2) + 1024 * 1024;
  try {
    return await scryptAsync(password, salt, keyLength, { N, r, p, maxmem });
  } catch {
    return undefined;
  }
}

const compareScrypt: Comparator = async (password, hash) => {
  const decoded = decodeScrypt(hash);
  if (!decoded || decoded.key.length === 0) return false;
  const derived = await scryptKey(utf8(password), decoded.salt, decoded, decoded.key.length);
  return derived !== undefined && sameBytes(derived, decoded.key);
};

const compareFirebaseScrypt: Comparator = async (password, hash) => {
  const decoded = decodeFirebaseScrypt(hash);
  if (!decoded) return false;
  const derived = await scryptKey(utf8(password), Buffer.concat([decoded.salt, decoded.saltSeparator]), decoded, 32);
  if (!derived) return false;
  const cipher = createCipheriv("aes-256-ctr", derived, Buffer.alloc(16));
  const signed = Buffer.concat([cipher.update(decoded.signerKey), cipher.final()]);
  return sameBytes(signed, decoded.key);
};

/** Go strings are bytes: placeholders are replaced byte-wise (latin1 maps each byte to one code unit). */
function fillFormat(format: Buffer, salt: Buffer, password: string): Buffer {
  const pw = utf8(password).toString("latin1");
  const filled = format.toString("latin1").replace(/\{SALT\}|\{PASSWORD\}/g, (m) => (m === "{SALT}" ? salt.toString("latin1") : pw));
  return Buffer.from(filled, "latin1");
}

const compareSha: Comparator = (password, hash) => {
  const digest = /^\$(sha1|sha256|sha512)\$/.exec(hash)?.[1];
  const decoded = decodeSaltedDigest(hash, false);
  if (!digest || !decoded?.format || !decoded.salt) return false;
  return sameBytes(
    createHash(digest)
      .update(fillFormat(decoded.format, decoded.salt, password))
      .digest(),
    decoded.hash,
  );
};

const compareSsha: Comparator = (password, hash) => {
  const decoded = decodeSsha(hash);
  if (!decoded) return false;
  return sameBytes(createHash(decoded.digest).update(utf8(password)).update(decoded.salt).digest(), decoded.hash);
};

const compareMd5: Comparator = (password, hash) => {
  const decoded = decodeSaltedDigest(hash, true);
  if (!decoded) return false;
  const input = decoded.format && decoded.salt ? fillFormat(decoded.format, decoded.salt, password) : utf8(password);
  return sameBytes(createHash("md5").update(input).digest(), decoded.hash);
};

const compareHmac: Comparator = async (password, hash) => {
  const decoded = decodeHmac(hash);
  if (!decoded) return false;
  let mac: string;
  if (decoded.digest === "md4") {
    // OpenSSL 3 ships MD4 only in its legacy provider.
    const hmac = await createHMAC(createMD4(), decoded.key);
    hmac.init();
    hmac.update(utf8(password));
    mac = hmac.digest("hex");
  } else {
    mac = createHmac(decoded.digest, decoded.key).update(utf8(password)).digest("hex");
  }
  return sameBytes(Buffer.from(mac, "latin1"), decoded.hash);
};

function compareCrypt(prefix: string, scheme: "md5" | "sha256" | "sha512"): Comparator {
  return async (password, hash) => {
    const decoded = decodeCrypt(`$${prefix}${hash.slice(hash.indexOf("-crypt") + "-crypt".length)}`, scheme !== "md5");
    if (!decoded) return false;
    const key =
      scheme === "md5"
        ? md5CryptKey(utf8(password), decoded.salt)
        : await shaCryptKey(scheme, utf8(password), decoded.salt, decoded.rounds ?? 5000);
    return sameBytes(Buffer.from(key, "latin1"), Buffer.from(decoded.key, "latin1"));
  };
}

/** In Kratos' order: the first whose prefix matches decides. */
const SUPPORTED_HASHES: readonly SupportedHash[] = [
  { name: "md5crypt", is: /^\$md5-crypt\$/, compare: compareCrypt("1", "md5") },
  { name: "bcrypt", is: /^\$2[abzy]?\$/, compare: compareBcrypt },
  { name: "sha256crypt", is: /^\$sha256-crypt\$/, compare: compareCrypt("5", "sha256") },
  { name: "sha512crypt", is: /^\$sha512-crypt\$/, compare: compareCrypt("6", "sha512") },
  { name: "argon2id", is: /^\$argon2id\$/, compare: compareArgon2("argon2id") },
  { name: "argon2i", is: /^\$argon2i\$/, compare: compareArgon2("argon2i") },
  { name: "pbkdf2", is: /^\$pbkdf2-sha[0-9]{1,3}\$/, compare: comparePbkdf2 },
  { name: "scrypt", is: /^\$scrypt\$/, compare: compareScrypt },
  { name: "ssha", is: /^\{SSHA(256|512)?\}/, compare: compareSsha },
  { name: "sha", is: /^\$sha(1|256|512)\$/, compare: compareSha },
  { name: "firebasescrypt", is: /^\$firescrypt\$/, compare: compareFirebaseScrypt },
  { name: "md5", is: /^\$md5\$/, compare: compareMd5 },
  { name: "hmac", is: /^\$hmac-(md4|md5|sha1|sha224|sha256|sha384|sha512)\$/, compare: compareHmac },
];

/** The algorithm Kratos would use for `hash`, or undefined when it knows none (hash.IsValidHashFormat). */
export function hashAlgorithm(hash: string): string | undefined {
  return SUPPORTED_HASHES.find((h) => h.is.test(hash))?.name;
}

export function isValidHashFormat(hash: string): boolean {
  return hashAlgorithm(hash) !== undefined;
}

/** hash.Compare: true only when `password` matches; a hash that cannot be decoded never matches. */
export async function comparePassword(password: string, hash: string, primitives: HashPrimitives): Promise<boolean> {
  const supported = SUPPORTED_HASHES.find((h) => h.is.test(hash));
  if (!supported) return false;
  try {
    return await supported.compare(password, hash, primitives);
  } catch {
    return false;
  }
}
