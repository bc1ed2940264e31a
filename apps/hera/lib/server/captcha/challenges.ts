import { hkdfSync } from "node:crypto";
import { createChallenge, randomInt, verifySolution, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { z } from "zod";

/**
 * ALTCHA proof-of-work challenges, issued and checked by Hera alone: no
 * third-party service, nothing to reach from an air-gapped network.
 *
 * A challenge is ALTCHA's v2 "deterministic" one with SHA-256 at cost 1:
 * Hera picks a counter between half the difficulty and the difficulty,
 * derives its key once, and sends only the key's prefix; the browser must
 * try counters until one gives that prefix (the difficulty is ALTCHA's "max
 * number": the most hashes it may take). The parameters are signed with an
 * HMAC and the derived key with a second one, so checking a solution costs
 * two HMACs, not a hash search. Each carries its expiry, and a solved one is
 * accepted once.
 */

export const CAPTCHA_ALGORITHM = "SHA-256";
/** How long a challenge may take from issue to use: enough to fill a form, short enough that solutions cannot be stockpiled. */
export const CHALLENGE_TTL_SECONDS = 5 * 60;
/** A solved payload is a few hundred characters; anything far larger is not one. */
const MAX_PAYLOAD_LENGTH = 4_096;

export interface CaptchaKeys {
  /** Signs a challenge's parameters. */
  signature: string;
  /** Signs the key a challenge's counter derives (verification without re-hashing). */
  keySignature: string;
}

/**
 * The HMAC keys, derived from a secret Hera already holds (COOKIE_SECRET)
 * with HKDF under labels of their own: no new secret to manage, and neither
 * key says anything about the cookie secret or the other key.
 */
export function deriveCaptchaKeys(secret: string): CaptchaKeys {
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", secret, "olympus/hera/captcha", info, 32)).toString("hex");
  return { signature: derive("altcha challenge signature v1"), keySignature: derive("altcha derived-key signature v1") };
}

/** Remembers solved challenges, so each is accepted once (used-challenges.ts). */
export interface UsedChallenges {
  /** True the first time `id` is claimed before `expiresAt`; false for every later claim. */
  claim(id: string, expiresAt: Date): Promise<boolean>;
}

export type CaptchaVerdict = { ok: true } | { ok: false; reason: "missing" | "malformed" | "invalid" | "expired" | "replayed" };

const challengeParameters = z.looseObject({
  algorithm: z.literal(CAPTCHA_ALGORITHM),
  nonce: z.string().regex(/^[0-9a-f]{2,128}$/),
  salt: z.string().regex(/^[0-9a-f]{2,128}$/),
  cost: z.number().int().positive(),
  keyLength: z.number().int().positive(),
  keyPrefix: z.string().regex(/^[0-9a-f]{1,128}$/),
  keySignature: z.string().optional(),
  expiresAt: z.number().positive(),
});
/** ALTCHA's client payload: base64 of `{ challenge, solution }`. Unknown parameters are kept: the signature covers them. */
const solvedPayload = z.object({
  challenge: z.object({ parameters: challengeParameters, signature: z.string().min(1) }),
  solution: z.object({ counter: z.number(), derivedKey: z.string(), time: z.number().optional() }),
});

export class CaptchaChallenges {
  constructor(
    private readonly keys: CaptchaKeys,
    private readonly used: UsedChallenges,
    /** Issue time in ms (tests issue challenges that are already over). */
    private readonly now: () => number = Date.now,
  ) {}

  /** A new signed challenge for `difficulty` (ALTCHA's max number). */
  async create(difficulty: number): Promise<Challenge> {
    const max = Math.max(2, Math.floor(difficulty));
    return createChallenge({
      algorithm: CAPTCHA_ALGORITHM,
      cost: 1,
      deriveKey,
      counter: randomInt(max, Math.ceil(max / 2)),
      expiresAt: Math.floor(this.now() / 1000) + CHALLENGE_TTL_SECONDS,
      hmacSignatureSecret: this.keys.signature,
      hmacKeySignatureSecret: this.keys.keySignature,
    });
  }

  /** Checks a submitted payload (the `altcha` field) and, when it holds, uses the challenge up. */
  async verify(payload: string | undefined): Promise<CaptchaVerdict> {
    if (payload === undefined || payload.trim() === "") return { ok: false, reason: "missing" };
    if (payload.length > MAX_PAYLOAD_LENGTH) return { ok: false, reason: "malformed" };
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const parsed = solvedPayload.safeParse(decoded);
    if (!parsed.success) return { ok: false, reason: "malformed" };
    const { challenge, solution } = parsed.data;
    const result = await verifySolution({
      challenge,
      solution,
      deriveKey,
      hmacSignatureSecret: this.keys.signature,
      hmacKeySignatureSecret: this.keys.keySignature,
    });
    if (result.expired) return { ok: false, reason: "expired" };
    // Only Hera's own challenges carry a key signature; without one, a solution would be checked against nothing Hera chose.
    if (!result.verified || challenge.parameters.keySignature === undefined) return { ok: false, reason: "invalid" };
    const fresh = await this.used.claim(challenge.parameters.nonce, new Date(challenge.parameters.expiresAt * 1000));
    return fresh ? { ok: true } : { ok: false, reason: "replayed" };
  }
}
