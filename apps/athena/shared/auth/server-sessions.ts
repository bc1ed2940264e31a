import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { IamTokenClient, RevokeOutcome } from "./iam-tokens";
import { parseAdminRole, type AdminRole } from "./roles";
import type { SessionRow, SessionRows } from "./session-rows";

/**
 * Athena's session follows the IAM account. The cookie names a server-side
 * row; the role Athena authorises on is the row's, and the row is trusted for
 * `revalidateSeconds` after IAM last vouched for it. Then the next request
 * refreshes at IAM Hydra (rotating the refresh token, reading the role from
 * the new ID token): a refusal ends the session, an unreachable IAM leaves it
 * unverified — pages for one more window, no writes — until IAM answers.
 */
export interface ServerSession {
  subject: string;
  email: string | null;
  name: string | null;
  role: AdminRole;
  createdAt: Date;
  validatedAt: Date;
}

export type SessionCheck =
  /** IAM vouched for this role less than a window ago. */
  | { status: "active"; session: ServerSession }
  /** Due for re-validation but IAM could not be asked: readable for one more window, never writable. */
  | { status: "unverified"; session: ServerSession; reason: string }
  /** Signed out, refused by IAM, past the absolute cap, or unknown: sign in again. */
  | { status: "ended"; reason: string }
  /** Due and unverifiable for too long (IAM down): the row is kept and works again once IAM answers. */
  | { status: "unavailable"; reason: string };

export type EndReason = "signed_out" | "refresh_rejected" | "role_removed" | "expired" | "unreadable";

export interface NewSession {
  subject: string;
  email: string | null;
  name: string | null;
  role: AdminRole;
  refreshToken: string;
  idToken: string;
}

export interface SignOutResult {
  /** The newest ID token, for RP-initiated logout's id_token_hint. */
  idToken: string | undefined;
  session: ServerSession | undefined;
  revocation: RevokeOutcome["kind"] | "none";
}

export interface ServerSessions {
  /** Stores a new session (after sign-in) and returns its opaque id, for the cookie. */
  start(session: NewSession): Promise<string>;
  /** The session behind a cookie's id, re-validated with IAM Hydra when due. */
  check(id: string): Promise<SessionCheck>;
  /** Sign-out: revokes the refresh token at IAM Hydra and ends the row. */
  signOut(id: string): Promise<SignOutResult>;
}

export interface ServerSessionsOptions {
  rows: SessionRows;
  iam: IamTokenClient;
  revalidateSeconds: number;
  /** The hard cap from sign-in, whatever IAM says. */
  absoluteSeconds: number;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  /** Told once when a check ends a session (for the audit log); never fails the check. */
  onEnded?: (session: ServerSession, reason: EndReason) => Promise<void> | void;
}

/** Ended and expired rows are deleted a day after sign-in (the audit log keeps the history). */
const PURGE_AFTER_SECONDS = 24 * 60 * 60;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function hashId(id: string): string {
  return createHash("sha256").update(id, "utf8").digest("base64url");
}

function view(row: SessionRow): ServerSession {
  return { subject: row.subject, email: row.email, name: row.name, role: row.role, createdAt: row.createdAt, validatedAt: row.validatedAt };
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

export function createServerSessions(options: ServerSessionsOptions): ServerSessions {
  const { rows, iam } = options;
  const now = options.now ?? Date.now;
  const windowMs = options.revalidateSeconds * 1000;
  const absoluteMs = options.absoluteSeconds * 1000;
  const age = (since: Date) => now() - since.getTime();

  // A session a check ends is reported once the row's transaction is over.
  type Locked = { check: SessionCheck; ended?: { row: SessionRow; reason: EndReason } };
  const ended = (row: SessionRow, reason: EndReason): Locked => ({ check: { status: "ended", reason }, ended: { row, reason } });
  const plain = (check: SessionCheck): Locked => ({ check });

  const report = async ({ check, ended: end }: Locked): Promise<SessionCheck> => {
    if (end) {
      try {
        await options.onEnded?.(view(end.row), end.reason);
      } catch {
        // Reporting is best effort; the session is over either way.
      }
    }
    return check;
  };

  /** The slow path, under the row's lock: someone may have refreshed while we waited. */
  const revalidate = (idHash: string) =>
    rows.locked(idHash, async (row, edit): Promise<Locked> => {
      if (!row || row.endedAt || !row.sealedRefreshToken || !row.sealedIdToken)
        return plain({ status: "ended", reason: row?.endReason ?? "unknown" });
      if (age(row.createdAt) > absoluteMs) {
        await edit.end("expired", new Date(now()));
        return ended(row, "expired");
      }
      if (age(row.validatedAt) < windowMs) return plain({ status: "active", session: view(row) });

      let refreshToken: string;
      let idToken: string;
      try {
        refreshToken = rows.open(idHash, "refresh_token", row.sealedRefreshToken);
        idToken = rows.open(idHash, "id_token", row.sealedIdToken);
      } catch {
        // Sealed under a key Athena no longer has (ENCRYPTION_KEY rotated away): sign in again.
        await edit.end("unreadable", new Date(now()));
        return ended(row, "unreadable");
      }

      const outcome = await iam.refresh(refreshToken, row.subject);
      if (outcome.kind === "unreachable") {
        const reason = `IAM Hydra unreachable: ${outcome.reason}`;
        // One more window of reading on the last verified role; after that, nothing until IAM answers.
        return plain(
          age(row.validatedAt) < 2 * windowMs ? { status: "unverified", session: view(row), reason } : { status: "unavailable", reason },
        );
      }
      if (outcome.kind === "rejected") {
        await edit.end("refresh_rejected", new Date(now()));
        return ended(row, "refresh_rejected");
      }
      const role = parseAdminRole(outcome.claims.iam_admin_role);
      if (!role) {
        await edit.end("role_removed", new Date(now()));
        if (outcome.refreshToken) await iam.revoke(outcome.refreshToken);
        return ended(row, "role_removed");
      }
      const renewed: SessionRow = {
        ...row,
        role,
        email: text(outcome.claims.email) ?? row.email,
        name: text(outcome.claims.name) ?? row.name,
        validatedAt: new Date(now()),
      };
      // Hydra rotates on every refresh; should one ever not, the old token stays valid and is kept.
      await edit.renew({
        role,
        refreshToken: outcome.refreshToken ?? refreshToken,
        idToken: outcome.idToken ?? idToken,
        email: renewed.email,
        name: renewed.name,
        at: renewed.validatedAt,
      });
      return plain({ status: "active", session: view(renewed) });
    });

  return {
    async start(session) {
      const id = randomBytes(32).toString("base64url");
      const at = new Date(now());
      await rows.insert(hashId(id), { ...session, at });
      await rows.purgeCreatedBefore(new Date(at.getTime() - Math.max(PURGE_AFTER_SECONDS * 1000, 2 * absoluteMs))).catch(() => 0);
      return id;
    },

    async check(id) {
      if (!SESSION_ID.test(id)) return { status: "ended", reason: "unknown" };
      const idHash = hashId(id);
      // The common case reads one row without a lock; only a due session takes the lock.
      const row = await rows.find(idHash);
      if (!row || row.endedAt) return { status: "ended", reason: row?.endReason ?? "unknown" };
      if (age(row.createdAt) <= absoluteMs && age(row.validatedAt) < windowMs) return { status: "active", session: view(row) };
      return report(await revalidate(idHash));
    },

    async signOut(id) {
      if (!SESSION_ID.test(id)) return { idToken: undefined, session: undefined, revocation: "none" };
      const idHash = hashId(id);
      return rows.locked(idHash, async (row, edit): Promise<SignOutResult> => {
        if (!row || row.endedAt || !row.sealedRefreshToken || !row.sealedIdToken)
          return { idToken: undefined, session: row ? view(row) : undefined, revocation: "none" };
        let revocation: SignOutResult["revocation"] = "none";
        let idToken: string | undefined;
        try {
          idToken = rows.open(idHash, "id_token", row.sealedIdToken);
          revocation = (await iam.revoke(rows.open(idHash, "refresh_token", row.sealedRefreshToken))).kind;
        } catch {
          // Unreadable tokens: nothing to revoke; the row still ends.
        }
        await edit.end("signed_out", new Date(now()));
        return { idToken, session: view(row), revocation };
      });
    },
  };
}
