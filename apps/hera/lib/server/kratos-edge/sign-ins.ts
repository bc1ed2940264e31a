import { createHash } from "node:crypto";
import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "@olympus/athena-store/olympus-db";

/**
 * Whose session a second-factor guess comes from. Kratos will not say at
 * aal1 (whoami answers 403 until the second factor is done), so the edge
 * remembers it when it watches the first factor succeed: the session
 * credential Kratos handed out (its cookie, or a session token), as a
 * SHA-256, against the identifier that signed in. TOTP and backup-code
 * guesses are then counted per person, however many sessions an attacker
 * who knows the password opens.
 */
export class EdgeSignIns {
  constructor(
    private readonly pool: pg.Pool,
    private readonly domain: Domain,
    /** How long a sign-in is remembered: as long as the longest Kratos session it can belong to (session.lifespan, 720h). */
    private readonly ttlSeconds = 30 * 24 * 60 * 60,
  ) {}

  async remember(credentials: readonly string[], subject: string): Promise<void> {
    if (credentials.length === 0) return;
    await inDomainTransaction(this.pool, this.domain, (tx) =>
      tx.query(
        `INSERT INTO olympus_edge_sign_ins (domain, credential_hash, subject, expires_at)
         SELECT $1, h, $3, now() + make_interval(secs => $4) FROM unnest($2::bytea[]) AS c(h)
         ON CONFLICT (domain, credential_hash) DO UPDATE SET subject = EXCLUDED.subject, expires_at = EXCLUDED.expires_at`,
        [this.domain, credentials.map(credentialHash), subject, this.ttlSeconds],
      ),
    );
  }

  /** The identifier that signed in with any of these credentials, if the edge saw it happen. */
  async subjectOf(credentials: readonly string[]): Promise<string | undefined> {
    if (credentials.length === 0) return undefined;
    const { rows } = await inDomainTransaction(this.pool, this.domain, (tx) =>
      tx.query<{ subject: string }>(
        "SELECT subject FROM olympus_edge_sign_ins WHERE domain = $1 AND credential_hash = ANY($2::bytea[]) AND expires_at > now() ORDER BY expires_at DESC LIMIT 1",
        [this.domain, credentials.map(credentialHash)],
      ),
    );
    return rows[0]?.subject;
  }

  async deleteExpired(): Promise<number> {
    const result = await inDomainTransaction(this.pool, this.domain, (tx) =>
      tx.query("DELETE FROM olympus_edge_sign_ins WHERE domain = $1 AND expires_at < now()", [this.domain]),
    );
    return result.rowCount ?? 0;
  }
}

export function credentialHash(credential: string): Buffer {
  return createHash("sha256").update(credential).digest();
}

/**
 * The key for a session whose sign-in the edge never saw (one older than the
 * edge, or whose cookie Kratos re-issued elsewhere): that session's own
 * count, stable for it, meaningless to anyone reading it.
 */
export function sessionKey(credentials: readonly string[]): string {
  return `session:${createHash("sha256")
    .update([...credentials].sort().join("\n"))
    .digest("hex")}`;
}

/** The session credentials a request carries: Kratos' cookies (not the CSRF cookie) and session tokens. */
export function requestCredentials(headers: Headers): string[] {
  const credentials: string[] = [];
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const pair = part.trim();
    const eq = pair.indexOf("=");
    if (eq <= 0 || pair.slice(0, eq).startsWith("csrf_token_") || pair.slice(eq + 1) === "") continue;
    credentials.push(`cookie:${pair}`);
  }
  const token = headers.get("x-session-token")?.trim();
  if (token) credentials.push(`token:${token}`);
  const bearer = /^bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer) credentials.push(`token:${bearer}`);
  return credentials;
}

/** The session credentials a successful sign-in hands out: cookies it sets (not the CSRF cookie), a session token in its body. */
export function issuedCredentials(setCookies: readonly string[], body: unknown): string[] {
  const credentials: string[] = [];
  for (const header of setCookies) {
    const pair = (header.split(";")[0] ?? "").trim();
    const eq = pair.indexOf("=");
    if (eq <= 0 || pair.slice(0, eq).startsWith("csrf_token_") || pair.slice(eq + 1) === "") continue;
    credentials.push(`cookie:${pair}`);
  }
  const token = typeof body === "object" && body !== null ? (body as { session_token?: unknown }).session_token : undefined;
  if (typeof token === "string" && token !== "") credentials.push(`token:${token}`);
  return credentials;
}
