import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "@olympus/test-postgres";
import { deriveEncryptionKey } from "@olympus/athena-store/settings";
import { startIamTestStack, type IamTestStack } from "@/shared/testing/iam-stack";
import { createIamTokenClient, type IamTokenClient, type RefreshOutcome } from "./iam-tokens";
import { createServerSessions, type EndReason, type ServerSession, type ServerSessionsOptions } from "./server-sessions";
import { createSessionRows } from "./session-rows";

// Real parts: Postgres (olympus database, row-level security) and the embedded IAM Hydra.
// Athena's clock is moved by `skew`; Hydra's is the real one.
const WINDOW_SECONDS = 60;
const key = deriveEncryptionKey("test-encryption-key-for-athena-sessions-0001", "development");
let stack: IamTestStack;
let skew = 0;
let subjects = 0;

beforeAll(async () => {
  stack = await startIamTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  skew = 0;
});

function later(seconds: number): void {
  skew += seconds * 1000;
}

/** Counts what reaches IAM Hydra. */
function counted(iam: IamTokenClient) {
  const calls = { refresh: 0, revoke: 0 };
  const client: IamTokenClient = {
    refresh: (token, subject) => {
      calls.refresh++;
      return iam.refresh(token, subject);
    },
    revoke: (token) => {
      calls.revoke++;
      return iam.revoke(token);
    },
  };
  return { calls, client };
}

function liveIam(): IamTokenClient {
  return createIamTokenClient({ issuerUrl: stack.hydra.issuer, clientId: stack.client.clientId, clientSecret: stack.client.clientSecret });
}

/** One Athena process's view of the sessions (several may share the database). */
function athena(iam: IamTokenClient = liveIam(), extra: Partial<ServerSessionsOptions> = {}) {
  const { calls, client } = counted(iam);
  const ended: [string, EndReason][] = [];
  const rows = createSessionRows({ pool: stack.pool, domain: "ciam", key });
  const sessions = createServerSessions({
    rows,
    iam: client,
    revalidateSeconds: WINDOW_SECONDS,
    absoluteSeconds: 8 * 60 * 60,
    now: () => Date.now() + skew,
    onEnded: (session: ServerSession, reason) => void ended.push([session.subject, reason]),
    ...extra,
  });
  return { sessions, rows, calls, ended };
}

async function signedIn(role: "admin" | "viewer" = "admin") {
  const subject = `employee-${++subjects}`;
  const tokens = await stack.signIn(subject, { email: `${subject}@olympus.local`, name: "Em Ployee", iam_admin_role: role });
  const instance = athena();
  const id = await instance.sessions.start({
    subject,
    email: `${subject}@olympus.local`,
    name: "Em Ployee",
    role,
    refreshToken: tokens.refreshToken,
    idToken: tokens.idToken,
  });
  return { subject, tokens, id, ...instance };
}

async function storedRow(subject: string) {
  const result = await stack.superuser("SELECT * FROM olympus_athena_sessions WHERE subject = $1", [subject]);
  return result.rows[0] as {
    id_hash: string;
    role: string;
    refresh_token: string | null;
    id_token: string | null;
    validated_at: Date;
    ended_at: Date | null;
    end_reason: string | null;
  };
}

describe("Athena's server-side sessions", () => {
  it("keeps only the id's hash and sealed tokens; the role lives in the row", async () => {
    const { subject, tokens, id, sessions } = await signedIn("viewer");
    const row = await storedRow(subject);
    expect(row.id_hash).not.toBe(id);
    expect(row.role).toBe("viewer");
    expect(row.refresh_token).toMatch(/^v1\./);
    expect(row.refresh_token).not.toContain(tokens.refreshToken);
    expect(row.id_token).not.toContain(tokens.idToken.split(".")[1]);
    expect(await sessions.check(id)).toMatchObject({ status: "active", session: { subject, role: "viewer" } });
    const altered = `${id.slice(0, -1)}${id.endsWith("A") ? "B" : "A"}`;
    for (const forged of ["", "x", id.slice(1), altered]) expect((await sessions.check(forged)).status).toBe("ended");
  });

  it("trusts the row within the window and re-validates it at IAM Hydra after the window, rotating the refresh token", async () => {
    const { subject, id, sessions, calls } = await signedIn();
    const before = await storedRow(subject);

    later(WINDOW_SECONDS - 1);
    expect(await sessions.check(id)).toMatchObject({ status: "active", session: { role: "admin" } });
    expect(calls.refresh).toBe(0);

    later(2);
    expect(await sessions.check(id)).toMatchObject({ status: "active", session: { role: "admin" } });
    expect(calls.refresh).toBe(1);
    const after = await storedRow(subject);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.validated_at.getTime()).toBeGreaterThan(before.validated_at.getTime());

    // Trusted again for a whole window.
    later(WINDOW_SECONDS - 1);
    await sessions.check(id);
    expect(calls.refresh).toBe(1);
  });

  it("ends the session at the first check after the window once IAM consent is revoked", async () => {
    const { subject, id, sessions, ended } = await signedIn();
    await stack.revokeConsents(subject);

    // Within the window the row is trusted: that is the bounded delay.
    expect((await sessions.check(id)).status).toBe("active");

    later(WINDOW_SECONDS + 1);
    expect(await sessions.check(id)).toEqual({ status: "ended", reason: "refresh_rejected" });
    expect(ended).toEqual([[subject, "refresh_rejected"]]);
    expect(await storedRow(subject)).toMatchObject({ end_reason: "refresh_rejected", refresh_token: null, id_token: null });
    later(WINDOW_SECONDS + 1);
    expect((await sessions.check(id)).status).toBe("ended");
  });

  it("refreshes once when two Athena processes check a due session at the same time (Hydra would revoke the grant on reuse)", async () => {
    const { id } = await signedIn();
    const first = athena();
    const second = athena();

    later(WINDOW_SECONDS + 1);
    const results = await Promise.all([
      first.sessions.check(id),
      second.sessions.check(id),
      first.sessions.check(id),
      second.sessions.check(id),
    ]);
    expect(results.map((r) => r.status)).toEqual(["active", "active", "active", "active"]);
    expect(first.calls.refresh + second.calls.refresh).toBe(1);

    // The grant survived: the next refresh, with the rotated token, is accepted.
    later(WINDOW_SECONDS + 1);
    expect((await second.sessions.check(id)).status).toBe("active");
    expect(first.calls.refresh + second.calls.refresh).toBe(2);
  });

  it("sign-out revokes the current refresh token at IAM Hydra, ends the row and hands back the newest ID token", async () => {
    const { subject, tokens, id, sessions, rows } = await signedIn();
    later(WINDOW_SECONDS + 1);
    await sessions.check(id); // rotates: the token to revoke is no longer the one from sign-in
    const row = await storedRow(subject);
    const current = rows.open(row.id_hash, "refresh_token", row.refresh_token ?? "");
    const newestIdToken = rows.open(row.id_hash, "id_token", row.id_token ?? "");
    expect(current).not.toBe(tokens.refreshToken);

    const result = await sessions.signOut(id);
    expect(result).toMatchObject({ revocation: "revoked", idToken: newestIdToken, session: { subject } });
    expect(await storedRow(subject)).toMatchObject({ end_reason: "signed_out", refresh_token: null, id_token: null });
    expect((await sessions.check(id)).status).toBe("ended");
    // The revoked token is dead at IAM Hydra itself.
    expect(await liveIam().refresh(current, subject)).toMatchObject({ kind: "rejected" });
    // Signing out twice is harmless.
    expect(await sessions.signOut(id)).toMatchObject({ revocation: "none", idToken: undefined });
  });

  it("ends a session past the absolute cap whatever IAM would say", async () => {
    const { id, sessions, calls } = await signedIn();
    later(8 * 60 * 60 + 1);
    expect(await sessions.check(id)).toEqual({ status: "ended", reason: "expired" });
    expect(calls.refresh).toBe(0);
  });

  it("with IAM Hydra unreachable: readable for one more window on the last verified role, then nothing, and the row survives", async () => {
    const { subject, id } = await signedIn();
    const down = athena(
      createIamTokenClient({
        issuerUrl: `http://127.0.0.1:${await freePort()}`,
        clientId: stack.client.clientId,
        clientSecret: stack.client.clientSecret,
      }),
    );

    later(WINDOW_SECONDS + 1);
    expect(await down.sessions.check(id)).toMatchObject({ status: "unverified", session: { subject, role: "admin" } });
    later(WINDOW_SECONDS - 3);
    expect((await down.sessions.check(id)).status).toBe("unverified");
    later(3);
    expect((await down.sessions.check(id)).status).toBe("unavailable");
    expect(await storedRow(subject)).toMatchObject({ ended_at: null });

    // IAM is back: the same session re-validates and carries on.
    const up = athena();
    expect((await up.sessions.check(id)).status).toBe("active");
    expect(up.calls.refresh).toBe(1);
  });
});

describe("the role after a refresh", () => {
  /** IAM Hydra as Athena sees it, answering every refresh with these ID token claims. */
  function iamAnswering(claims: Record<string, unknown>) {
    const revoked: string[] = [];
    const iam: IamTokenClient = {
      refresh: async (_token, subject): Promise<RefreshOutcome> => ({
        kind: "refreshed",
        refreshToken: `rotated-${subject}`,
        idToken: "header.payload.signature",
        claims: { sub: subject, ...claims },
      }),
      revoke: async (token) => {
        revoked.push(token);
        return { kind: "revoked" };
      },
    };
    return { iam, revoked };
  }

  async function session(role: "admin" | "viewer", iam: IamTokenClient) {
    const subject = `employee-${++subjects}`;
    const instance = athena(iam);
    const id = await instance.sessions.start({
      subject,
      email: null,
      name: null,
      role,
      refreshToken: "refresh-token",
      idToken: "header.payload.signature",
    });
    return { subject, id, ...instance };
  }

  it("is read from the new ID token: a demotion to viewer is picked up at the next re-validation", async () => {
    const { id, sessions } = await session("admin", iamAnswering({ iam_admin_role: "viewer", email: "new@olympus.local" }).iam);
    expect(await sessions.check(id)).toMatchObject({ session: { role: "admin" } });
    later(WINDOW_SECONDS + 1);
    expect(await sessions.check(id)).toMatchObject({ status: "active", session: { role: "viewer", email: "new@olympus.local" } });
  });

  it("ends the session when the new ID token carries no Athena role, and revokes the token just issued", async () => {
    const { iam, revoked } = iamAnswering({ iam_admin_role: "owner" });
    const { subject, id, sessions, ended } = await session("admin", iam);
    later(WINDOW_SECONDS + 1);
    expect(await sessions.check(id)).toEqual({ status: "ended", reason: "role_removed" });
    expect(revoked).toEqual([`rotated-${subject}`]);
    expect(ended).toEqual([[subject, "role_removed"]]);
  });

  it("is the consent-time role with IAM Hydra, so a role change reaches Athena through the consent revocation the change performs", async () => {
    // Hydra (real and embedded) re-issues the claims Hera's consent put in
    // the ID token; it does not ask Hera again on refresh. Athena's
    // role-change action therefore revokes the employee's IAM consents, which
    // ends this session at the next re-validation; the next sign-in's
    // consent carries the new role.
    const { subject, id, sessions } = await signedIn("admin");
    later(WINDOW_SECONDS + 1);
    expect(await sessions.check(id)).toMatchObject({ status: "active", session: { role: "admin" } });

    await stack.revokeConsents(subject);
    later(WINDOW_SECONDS + 1);
    expect((await sessions.check(id)).status).toBe("ended");

    const again = await stack.signIn(subject, { iam_admin_role: "viewer" });
    expect(again.claims.iam_admin_role).toBe("viewer");
  });
});
