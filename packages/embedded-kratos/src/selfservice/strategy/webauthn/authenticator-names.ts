import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * Authenticator model names by AAGUID, as Kratos v26.2 embeds them
 * (x/webauthnx/aaguid: aaguids.json, then passkey-aaguids.json over it;
 * Apache-2.0). aaguid-names.json keeps only the names, not the icons.
 */
const NAMES = z
  .record(z.guid(), z.string())
  .parse(JSON.parse(readFileSync(new URL("./aaguid-names.json", import.meta.url), "utf8")) as unknown);

/** aaguid.Lookup(id).Name for an AAGUID given as standard base64 (Go's []byte JSON); undefined when unknown. */
export function authenticatorName(aaguidBase64: string): string | undefined {
  const bytes = Buffer.from(aaguidBase64, "base64");
  if (bytes.length !== 16) return undefined;
  const hex = bytes.toString("hex");
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return NAMES[uuid];
}
