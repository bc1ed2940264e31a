import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Proof that Hera sent the browser to sign in again for one login challenge,
 * and when. `prompt=login` / `max_age` need "signed in after the request";
 * Hydra's login request carries no request time, so Hera stamps its own and
 * seals it with its cookie secret. The browser carries the proof back, but
 * cannot forge or move it: the MAC binds the time to this challenge, and any
 * genuine proof for a challenge dates from after that challenge existed.
 * (A bare timestamp such as the former `reauth_after` could be set by anyone.)
 */
export interface ReauthProof {
  /** Milliseconds since the epoch: sign-ins at or after it count as fresh. */
  since: number;
}

const CONTEXT = "olympus-hera-reauth-v1";

function mac(secret: string, challenge: string, since: number): Buffer {
  return createHmac("sha256", secret).update(`${CONTEXT}\n${challenge}\n${since}`).digest();
}

/** Seals `since` for this challenge: `<since>.<base64url mac>`. */
export function issueReauthProof(secret: string, challenge: string, since: number): string {
  return `${since}.${mac(secret, challenge, since).toString("base64url")}`;
}

/** The proof's time if it was issued by this Hera for this very challenge, else undefined. */
export function readReauthProof(secret: string, challenge: string, proof: string | undefined, now = Date.now()): ReauthProof | undefined {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(proof ?? "");
  if (!match?.[1] || !match[2]) return undefined;
  const since = Number(match[1]);
  // A proof from the future was not issued by this clock (allow a little skew between instances).
  if (!Number.isSafeInteger(since) || since > now + 60_000) return undefined;
  const expected = mac(secret, challenge, since);
  const given = Buffer.from(match[2], "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected) ? { since } : undefined;
}
