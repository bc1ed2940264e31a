import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

/** Domain separation: this MAC vouches for nothing but a device-flow continuation. */
const CONTEXT = "hera.device.continue.v1";

function mac(secret: string, to: string): Buffer {
  return createHmac("sha256", secret).update(`${CONTEXT}\n${to}`).digest();
}

/**
 * Without JavaScript the user-code form is a plain form post, and the
 * browser's CSP (`form-action 'self'`) refuses to follow its redirect to
 * Hydra on another origin. The form therefore lands on Hera's
 * `/device/continue`, which sends the browser on with a link and a meta
 * refresh: new navigations, not the form's. The target is Hydra's
 * `redirect_to`, sealed here so the page cannot be used as an open redirect.
 */
export function continuePath(secret: string, to: string): string {
  const query = new URLSearchParams({ to, sig: mac(secret, to).toString("base64url") });
  return `/device/continue?${query.toString()}`;
}

/** The sealed target, if the signature is Hera's own; undefined otherwise. */
export function openContinueLink(secret: string, to: string | undefined, sig: string | undefined): string | undefined {
  if (!to || !sig) return undefined;
  const given = Buffer.from(sig, "base64url");
  const expected = mac(secret, to);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const url = URL.parse(to);
  return url && (url.protocol === "https:" || url.protocol === "http:") ? url.toString() : undefined;
}
