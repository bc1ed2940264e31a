import { goStdBase64Decode } from "@olympus/server-kit/text";
import { parseGoCertificate, type GoCertificate } from "./x509/certificate";

/**
 * go-jose's parseCertificateChain (shared.go): each `x5c` entry through
 * base64.StdEncoding and Go's x509.ParseCertificate, whose walk over the
 * DER (checks, order and texts) is reproduced in keys/x509/.
 */

export type { GoCertificate } from "./x509/certificate";
export type { GoPublicKey } from "./x509/public-key";

export type ChainResult = { ok: true; certs: GoCertificate[] } | { ok: false; error: string };

/** parseCertificateChain: the first entry that fails stops the chain with its error. */
export function parseCertificateChain(chain: readonly string[]): ChainResult {
  const certs: GoCertificate[] = [];
  for (const entry of chain) {
    const decoded = goStdBase64Decode(entry);
    if (!decoded.ok) return { ok: false, error: decoded.error };
    const cert = parseGoCertificate(decoded.bytes);
    if (typeof cert === "string") return { ok: false, error: cert };
    certs.push(cert);
  }
  return { ok: true, certs };
}
