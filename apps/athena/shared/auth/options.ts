import "server-only";
import type { CookieOption, NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { MFA_GRACE_UNTIL_CLAIM } from "@olympus/ory-client/identity";
import { sameOriginPath } from "@olympus/web-security";
import { athenaConfig } from "@/shared/server/config";
import { recordAudit } from "@/shared/server/audit";
import { athenaSessions, iamTokens } from "./athena-sessions";
import { SESSION_COOKIE_BASENAME } from "./cookie-names";
import { loopbackLookup } from "./loopback-lookup";
import { OIDC_PROVIDER_ID, OIDC_SCOPES, SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from "./policy";
import { parseAdminRole } from "./roles";
import { secondFactorVerdict } from "./second-factor";

/** The ID token claims Athena reads (Hera IAM's consent puts them there). */
const iamProfile = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  name: z.string().optional(),
  iam_admin_role: z.unknown().optional(),
  /** The Kratos session's assurance level at sign-in (Hera IAM's login accept); read by secondFactorVerdict. */
  acr: z.unknown().optional(),
  /** Set by Hera IAM's consent only for a sign-in accepted without a second factor within the grace period. */
  [MFA_GRACE_UNTIL_CLAIM]: z.unknown().optional(),
});
type IamProfile = z.infer<typeof iamProfile>;

function cookies(publicUrl: string): NextAuthOptions["cookies"] {
  const secure = publicUrl.startsWith("https:");
  // `__Host-` on https: the browser itself then refuses a Domain attribute (host-only).
  const prefix = secure ? "__Host-" : "";
  // No `domain`: every cookie stays on Athena's own host. SameSite=Lax so the
  // top-level redirect back from IAM Hydra carries the state/PKCE cookies.
  const cookie = (name: string, maxAge?: number): CookieOption => ({
    name: `${prefix}${name}`,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure, ...(maxAge ? { maxAge } : {}) },
  });
  return {
    sessionToken: cookie(SESSION_COOKIE_BASENAME),
    callbackUrl: cookie("athena.callback-url"),
    csrfToken: cookie("athena.csrf"),
    pkceCodeVerifier: cookie("athena.pkce", 15 * 60),
    state: cookie("athena.state", 15 * 60),
    nonce: cookie("athena.nonce", 15 * 60),
  };
}

/** An absolute URL on `baseUrl`'s origin as a path; anything else unchanged (and then refused by sameOriginPath). */
function relativeTo(url: string, baseUrl: string): string {
  if (url.startsWith("/")) return url;
  try {
    const target = new URL(url);
    return target.origin === new URL(baseUrl).origin ? `${target.pathname}${target.search}${target.hash}` : url;
  } catch {
    return url;
  }
}

let cached: NextAuthOptions | undefined;

/** next-auth, with IAM Hydra as the only provider (authorization code + PKCE + state). */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const config = athenaConfig();
  const provider: OAuthConfig<IamProfile> = {
    id: OIDC_PROVIDER_ID,
    name: "Olympus Workforce",
    type: "oauth",
    wellKnown: `${config.auth.issuerUrl}/.well-known/openid-configuration`,
    clientId: config.auth.clientId,
    clientSecret: config.auth.clientSecret,
    authorization: { params: { scope: OIDC_SCOPES } },
    checks: ["pkce", "state"],
    idToken: true,
    client: { token_endpoint_auth_method: "client_secret_basic", id_token_signed_response_alg: "RS256" },
    httpOptions: { timeout: 10_000, ...(config.environment === "development" ? { lookup: loopbackLookup } : {}) },
    profile(raw) {
      const profile = iamProfile.parse(raw);
      return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
    },
  };

  cached = {
    secret: config.auth.secret,
    providers: [provider],
    session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS },
    jwt: { maxAge: SESSION_IDLE_SECONDS },
    cookies: cookies(config.publicUrl),
    pages: { signIn: "/signin", error: "/signin" },
    useSecureCookies: config.publicUrl.startsWith("https:"),
    callbacks: {
      // After sign-in next-auth goes to the callbackUrl it was given: only a path on this
      // Athena, checked like every other redirect target (its default lets encoded tricks such as `/%5Chost` through).
      redirect({ url, baseUrl }) {
        return `${baseUrl}${sameOriginPath(relativeTo(url, baseUrl), "/")}`;
      },
      async signIn({ profile, account }) {
        const parsed = iamProfile.safeParse(profile);
        if (!parsed.success) return "/signin?error=AccessDenied";
        const role = parseAdminRole(parsed.data.iam_admin_role);
        const refused = async (reason: string, error: string) => {
          // A refused sign-in leaves no live grant behind at IAM Hydra.
          if (account?.refresh_token) await iamTokens().revoke(account.refresh_token);
          await recordAudit({
            actor: { id: parsed.data.sub, email: parsed.data.email ?? null, role: role ?? null },
            action: "auth.sign_in",
            outcome: "denied",
            details: { reason },
          });
          return `/signin?error=${error}`;
        };
        if (!role) return refused("no iam_admin_role in the ID token", "AccessDenied");
        // IAM's second factor, checked here too: Hera IAM enforces it, Athena does not take that on trust.
        if (config.auth.mfaRequired) {
          const verdict = secondFactorVerdict(parsed.data, Math.floor(Date.now() / 1000));
          if (!verdict.ok) return refused(verdict.reason, "MfaRequired");
        }
        // The session is re-validated with this token; without it Athena could not follow the IAM account.
        if (!account?.refresh_token || !account.id_token)
          return refused("IAM Hydra issued no refresh token (offline_access)", "OfflineAccess");
        return true;
      },
      async jwt({ token, account, profile }) {
        if (account) {
          const parsed = iamProfile.parse(profile);
          const role = parseAdminRole(parsed.iam_admin_role);
          if (!role || !account.refresh_token || !account.id_token) throw new Error("sign-in without an admin role or a refresh token");
          // The tokens and the role stay on the server; the cookie gets the row's opaque id and display data.
          const session = {
            subject: parsed.sub,
            email: parsed.email ?? null,
            name: parsed.name ?? null,
            role,
            refreshToken: account.refresh_token,
            idToken: account.id_token,
          };
          let sid: string;
          try {
            sid = await (await athenaSessions()).start(session);
          } catch (error) {
            // Not stored, so never usable: leave no live grant behind at IAM Hydra (next-auth then shows the sign-in error).
            await iamTokens().revoke(session.refreshToken);
            throw error;
          }
          // A sign-in without a second factor, within IAM's grace period, is on the record as such.
          const verdict = secondFactorVerdict(parsed, Math.floor(Date.now() / 1000));
          await recordAudit({
            actor: { id: parsed.sub, email: parsed.email ?? null, role },
            action: "auth.sign_in",
            outcome: "success",
            ...(verdict.ok && verdict.via === "grace" ? { details: { second_factor: "grace", grace_until: verdict.graceUntil } } : {}),
          });
          return { sub: parsed.sub, email: parsed.email ?? null, name: parsed.name ?? null, sid, authTime: Math.floor(Date.now() / 1000) };
        }
        // Activity extends the cookie (idle timeout), never past the absolute cap, and only while the server-side session lives.
        if (!token.sid || !token.authTime || Date.now() / 1000 - token.authTime > SESSION_ABSOLUTE_SECONDS)
          throw new Error("session ended");
        const sid = token.sid;
        const check = await athenaSessions()
          .then((sessions) => sessions.check(sid))
          .catch(() => undefined);
        // Ended: next-auth drops the cookie and the keep-alive sends the browser to sign-in. Unknown (database or IAM down): keep it.
        if (check?.status === "ended") throw new Error("session ended");
        return token;
      },
      session({ session, token }) {
        // Display data only: the role is decided on the server, per request, from the session row.
        if (!token.sub) throw new Error("session without a subject");
        session.user = { id: token.sub, email: token.email ?? null, name: token.name ?? null };
        return session;
      },
    },
    events: {
      // next-auth's own /api/auth/signout (Athena's button uses signOut in sign-out.ts): the grant is revoked all the same.
      async signOut({ token }) {
        const sid = token.sid;
        if (sid)
          await athenaSessions()
            .then((sessions) => sessions.signOut(sid))
            .catch(() => undefined);
      },
    },
  };
  return cached;
}
