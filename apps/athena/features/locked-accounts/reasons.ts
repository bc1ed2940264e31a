import type { LockBucket } from "./store";

/** Why a key was locked, in words: which of Hera's guess limits ran out. */
export const LOCK_REASONS: Record<LockBucket, string> = {
  "password:identifier": "Wrong passwords",
  "code:identifier": "Wrong one-time codes (sign-in, sign-up, recovery or verification)",
  "totp:identifier": "Wrong authenticator-app codes",
  "lookup_secret:identifier": "Wrong backup codes",
};

/**
 * Who a locked key belongs to, as Hera counted it: an identifier as typed
 * (lower-cased), or for keys with no person Hera could name, what it was.
 */
export function describeLockedKey(identifier: string): { text: string; searchable: boolean } {
  if (identifier.startsWith("session:")) return { text: "A session whose sign-in Hera did not see", searchable: false };
  if (identifier.startsWith("flow:")) return { text: `A code sent in flow ${identifier.slice(5)}`, searchable: false };
  return { text: identifier, searchable: true };
}
