import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { sessionSecrets } from "../../../continuity/securecookie";

/**
 * The session token a verification flow keeps so that passing it can issue
 * the sign-up's (or login's) session cookie again, as Kratos'
 * updateVerificationFlow does with `IssueCookie` of the stored session.
 * Sessions are stored here as token digests, so the token itself travels in
 * the flow's internal context — sealed with AES-256-GCM under a key derived
 * from the session secrets (`secrets.cookie`, else `secrets.default`, else the
 * process' own random secret, as the continuity cookie): a database dump alone
 * does not give the token, and the flow id is bound in as associated data so
 * a sealed token cannot be moved to another flow.
 */

const PURPOSE = "embedded-kratos verification flow session token";
const IV_SIZE = 12;
const TAG_SIZE = 16;

const keyFor = (secret: string) => createHmac("sha256", secret).update(PURPOSE).digest();

export function sealSessionToken(secrets: Parameters<typeof sessionSecrets>[0], flowId: string, token: string): string {
  const [secret] = sessionSecrets(secrets);
  const iv = randomBytes(IV_SIZE);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret ?? ""), iv);
  cipher.setAAD(Buffer.from(flowId, "utf8"));
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** The token, or undefined when no current secret opens it (rotated away, another process' random secret, tampered). */
export function openSessionToken(secrets: Parameters<typeof sessionSecrets>[0], flowId: string, sealed: string): string | undefined {
  const box = Buffer.from(sealed, "base64url");
  if (box.length < IV_SIZE + TAG_SIZE) return undefined;
  for (const secret of sessionSecrets(secrets)) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", keyFor(secret), box.subarray(0, IV_SIZE));
      decipher.setAAD(Buffer.from(flowId, "utf8"));
      decipher.setAuthTag(box.subarray(box.length - TAG_SIZE));
      return Buffer.concat([decipher.update(box.subarray(IV_SIZE, box.length - TAG_SIZE)), decipher.final()]).toString("utf8");
    } catch {
      // Not this secret; try the next.
    }
  }
  return undefined;
}
