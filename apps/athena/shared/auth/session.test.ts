import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Account, Profile, User } from "next-auth";
import { decode, encode, type JWT } from "next-auth/jwt";
import { z } from "zod";
import { loadAthenaConfig, type AthenaConfig } from "@olympus/runtime-config/config/athena";
import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { startIamTestStack, type IamTestStack } from "@/shared/testing/iam-stack";

// Athena's request context, faked: the browser's cookies and the start-up config.
// Everything behind them is real: the olympus database, the embedded IAM Hydra,
// next-auth's callbacks and cookie encryption, the action wrapper and the audit log.
const request = vi.hoisted(() => ({ config: undefined as AthenaConfig | undefined, cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => [...request.cookies].map(([name, value]) => ({ name, value })),
    delete: (name: string) => request.cookies.delete(name),
  }),
}));
vi.mock("@/shared/server/config", () => ({
  athenaConfig: () => {
    if (!request.config) throw new Error("no config yet");
    return request.config;
  },
}));

const { currentAdmin, requireAdminPage } = await import("./session");
const { authOptions } = await import("./options");
const { signOut } = await import("./sign-out");
const { createIamTokenClient } = await import("./iam-tokens");
const { OIDC_PROVIDER_ID } = await import("./policy");
const { adminAction } = await import("@/shared/server/action");
const { olympusPool } = await import("@/shared/server/olympus-db");

const COOKIE = "athena.session";
const WINDOW_SECONDS = 1;
let stack: IamTestStack;
let subjects = 0;

beforeAll(async () => {
  stack = await startIamTestStack();
  const base = loadAthenaConfig({ ...embeddedAppEnv("ciam", "athena"), AUTH_SESSION_REVALIDATE_SECONDS: String(WINDOW_SECONDS) });
  // The embedded Hydra listens on a free port (the config schema accepts IAM Hydra only on 4102 or an iam.* host).
  request.config = { ...base, auth: { ...base.auth, issuerUrl: stack.hydra.issuer.replace(/\/$/, "") }, databaseUrl: stack.databaseUrl };
}, 120_000);

afterAll(async () => {
  await (await olympusPool()).end();
  await stack?.stop();
});

beforeEach(() => request.cookies.clear());

function config(): AthenaConfig {
  if (!request.config) throw new Error("no config yet");
  return request.config;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const afterTheWindow = () => pause(WINDOW_SECONDS * 1000 + 200);

/** What next.js makes of redirect(): an error whose digest names the target. */
async function redirectOf(work: Promise<unknown>): Promise<string> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  const digest = z.object({ digest: z.string() }).safeParse(error);
  if (!digest.success) throw new Error(`expected a redirect, got ${String(error)}`);
  return digest.data.digest.split(";")[2] ?? "";
}

/** How Hera IAM's login accept describes the sign-in: the Kratos session's AAL, and a grace period it vouched for. */
interface HeraLogin {
  acr: string;
  /** Unix seconds: Hera accepted a password-only sign-in within the identity's grace period. */
  graceUntil?: number;
}

/**
 * The employee signs in at IAM Hydra (Hera's consent puts the role, and a
 * grace period Hera vouched for, in the ID token) and comes back with what
 * next-auth hands Athena's callbacks.
 */
async function signInAtIam(role: "admin" | "viewer", login: HeraLogin) {
  const subject = `employee-${++subjects}`;
  const email = `${subject}@olympus.local`;
  const grace = login.graceUntil === undefined ? {} : { olympus_mfa_grace_until: login.graceUntil };
  const tokens = await stack.signIn(subject, { email, name: "Em Ployee", iam_admin_role: role, ...grace }, { acr: login.acr });
  const account: Account = {
    provider: OIDC_PROVIDER_ID,
    type: "oauth",
    providerAccountId: subject,
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    id_token: tokens.idToken,
    token_type: "bearer",
  };
  const profile: Profile = { ...tokens.claims };
  const user: User = { id: subject, email, name: "Em Ployee" };
  return { subject, tokens, account, profile, user };
}

/**
 * The employee signs in (by default with a second factor, as Hera IAM
 * requires), then next-auth's callback runs Athena's signIn and jwt
 * callbacks and sets the encrypted cookie, as /api/auth/callback/olympus-iam does.
 */
async function signIn(role: "admin" | "viewer" = "admin", login: HeraLogin = { acr: "aal2" }) {
  const { subject, tokens, account, profile, user } = await signInAtIam(role, login);
  const callbacks = authOptions().callbacks;
  if (!callbacks?.signIn || !callbacks.jwt) throw new Error("Athena has no signIn/jwt callbacks");
  expect(await callbacks.signIn({ user, account, profile })).toBe(true);
  const token = await callbacks.jwt({ token: {}, user, account, profile, trigger: "signIn" });
  request.cookies.set(COOKIE, await encode({ token, secret: config().auth.secret }));
  return { subject, tokens, account, profile, user, token };
}

/** The audit rows of `subject`'s sign-ins. */
async function signInAudit(subject: string) {
  const result = await stack.superuser(
    "SELECT outcome, details FROM olympus_audit_log WHERE action = 'auth.sign_in' AND actor_id = $1 ORDER BY id",
    [subject],
  );
  return result.rows as { outcome: string; details: Record<string, unknown> }[];
}

const deleteThing = adminAction({ action: "thing.delete", input: z.object({ id: z.string() }), target: (i) => i.id }, async ({ id }) => ({
  data: id,
}));

describe("Athena's session check (pages, actions, sign-out)", () => {
  it("puts only an opaque session id and display data in the cookie; the role comes from the server-side row", async () => {
    const { subject } = await signIn("admin");
    const cookie = await decode({ token: request.cookies.get(COOKIE) ?? "", secret: config().auth.secret });
    expect(Object.keys(cookie ?? {}).sort()).toEqual(["authTime", "email", "exp", "iat", "jti", "name", "sid", "sub"]);
    expect(await currentAdmin()).toEqual({ id: subject, email: `${subject}@olympus.local`, name: "Em Ployee", role: "admin" });

    await stack.superuser("UPDATE olympus_athena_sessions SET role = 'viewer' WHERE subject = $1", [subject]);
    expect(await currentAdmin()).toMatchObject({ role: "viewer" });
    expect(await redirectOf(requireAdminPage("admin"))).toBe("/?notice=forbidden");
    expect(await deleteThing({ id: "x" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("treats a cookie that carries a role but no server-side session as no session", async () => {
    const { subject } = await signIn("admin");
    const legacy: JWT = {
      sub: subject,
      email: `${subject}@olympus.local`,
      name: null,
      role: "admin",
      idToken: "x.y.z",
      authTime: Math.floor(Date.now() / 1000),
    };
    request.cookies.set(COOKIE, await encode({ token: legacy, secret: config().auth.secret }));
    expect(await currentAdmin()).toBeNull();
    expect(await redirectOf(requireAdminPage())).toBe("/signin");
    expect(await deleteThing({ id: "x" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });

  it("refuses a sign-in that brought no refresh token (offline_access not granted)", async () => {
    const { account, profile, user } = await signIn("admin");
    const { refresh_token: _dropped, ...withoutRefresh } = account;
    expect(await authOptions().callbacks?.signIn?.({ user, account: withoutRefresh, profile })).toBe("/signin?error=OfflineAccess");
  });

  it("re-validates after the window: once IAM consent is revoked, the next page and write are refused and the cookie is dropped", async () => {
    const { subject, token } = await signIn("admin");
    expect(await deleteThing({ id: "before" })).toEqual({ ok: true, data: "before" });

    await stack.revokeConsents(subject);
    await afterTheWindow();
    expect(await redirectOf(requireAdminPage())).toBe("/signin?error=SessionEnded");
    expect(await deleteThing({ id: "after" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    // The session endpoint (the keep-alive) fails the same way, so next-auth clears the cookie.
    await expect(authOptions().callbacks?.jwt?.({ token, user: { id: subject }, account: null })).rejects.toThrow("session ended");
  });

  it("re-validates a live session after the window and carries on", async () => {
    const { subject } = await signIn("viewer");
    await afterTheWindow();
    expect(await requireAdminPage("viewer")).toMatchObject({ id: subject, role: "viewer" });
    const row = await stack.superuser("SELECT validated_at, created_at FROM olympus_athena_sessions WHERE subject = $1", [subject]);
    expect(row.rows[0].validated_at.getTime()).toBeGreaterThan(row.rows[0].created_at.getTime());
  });

  it("sign-out revokes the refresh token at IAM Hydra, ends the server-side session, then continues with RP-initiated logout", async () => {
    const { subject, tokens } = await signIn("admin");
    const copied = request.cookies.get(COOKIE) ?? "";

    const target = new URL(await redirectOf(signOut()));
    expect(`${target.origin}${target.pathname}`).toBe(`${config().auth.issuerUrl}/oauth2/sessions/logout`);
    expect(target.searchParams.get("id_token_hint")).toBe(tokens.idToken);
    expect(target.searchParams.get("post_logout_redirect_uri")).toBe(`${config().publicUrl}/`);
    expect(request.cookies.size).toBe(0);

    // A copy of the cookie is worth nothing now, and IAM Hydra no longer honours the refresh token.
    request.cookies.set(COOKIE, copied);
    expect(await currentAdmin()).toBeNull();
    const iam = createIamTokenClient({
      issuerUrl: config().auth.issuerUrl,
      clientId: config().auth.clientId,
      clientSecret: config().auth.clientSecret,
    });
    expect(await iam.refresh(tokens.refreshToken, subject)).toMatchObject({ kind: "rejected" });
    const audit = await stack.superuser("SELECT details FROM olympus_audit_log WHERE action = 'auth.sign_out' AND actor_id = $1", [
      subject,
    ]);
    expect(audit.rows).toEqual([{ details: { revocation: "revoked" } }]);
  });
});

describe("IAM's second factor, checked by Athena itself (ID token acr and Hera's grace claim)", () => {
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it("refuses a password-only sign-in Hera did not vouch for, audited, leaving no live grant at IAM Hydra", async () => {
    const { subject, tokens, account, profile, user } = await signInAtIam("admin", { acr: "aal1" });
    expect(tokens.claims.acr).toBe("aal1");
    expect(await authOptions().callbacks?.signIn?.({ user, account, profile })).toBe("/signin?error=MfaRequired");
    expect(await signInAudit(subject)).toEqual([
      { outcome: "denied", details: { reason: "signed in without a second factor (acr aal1) and no grace period from Hera IAM" } },
    ]);
    const iam = createIamTokenClient({
      issuerUrl: config().auth.issuerUrl,
      clientId: config().auth.clientId,
      clientSecret: config().auth.clientSecret,
    });
    expect(await iam.refresh(tokens.refreshToken, subject)).toMatchObject({ kind: "rejected" });
  });

  it("refuses a sign-in whose grace period has ended", async () => {
    const { subject, account, profile, user } = await signInAtIam("viewer", { acr: "aal1", graceUntil: nowSeconds() - 60 });
    expect(await authOptions().callbacks?.signIn?.({ user, account, profile })).toBe("/signin?error=MfaRequired");
    expect(await signInAudit(subject)).toMatchObject([
      { outcome: "denied", details: { reason: expect.stringContaining("after the grace period ended") } },
    ]);
  });

  it("admits a password-only sign-in within the grace period Hera vouched for, audited as such", async () => {
    const graceUntil = nowSeconds() + 3 * 24 * 60 * 60;
    const { subject } = await signIn("admin", { acr: "aal1", graceUntil });
    expect(await currentAdmin()).toMatchObject({ id: subject, role: "admin" });
    expect(await signInAudit(subject)).toEqual([{ outcome: "success", details: { second_factor: "grace", grace_until: graceUntil } }]);
  });

  it("admits a sign-in with a second factor, and re-validates it after the window as before", async () => {
    const { subject } = await signIn("admin", { acr: "aal2" });
    expect(await signInAudit(subject)).toEqual([{ outcome: "success", details: {} }]);
    await afterTheWindow();
    expect(await requireAdminPage("admin")).toMatchObject({ id: subject, role: "admin" });
  });

  it("gets the sign-in's acr and grace claim again from every refresh (what re-validation reads)", async () => {
    const graceUntil = nowSeconds() + 3600;
    const { subject, tokens } = await signInAtIam("admin", { acr: "aal1", graceUntil });
    const iam = createIamTokenClient({
      issuerUrl: config().auth.issuerUrl,
      clientId: config().auth.clientId,
      clientSecret: config().auth.clientSecret,
    });
    expect(await iam.refresh(tokens.refreshToken, subject)).toMatchObject({
      kind: "refreshed",
      claims: { acr: "aal1", olympus_mfa_grace_until: graceUntil, iam_admin_role: "admin" },
    });
  });
});
