import "server-only";
import type { CookieOption, NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { athenaConfig } from "@/lib/server/config";
import { recordAudit } from "@/lib/server/audit";
import { SESSION_COOKIE_BASENAME } from "./cookie-names";
import { loopbackLookup } from "./loopback-lookup";
import { OIDC_PROVIDER_ID, OIDC_SCOPES, SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from "./policy";
import { parseAdminRole } from "./roles";

/** The ID token claims Athena reads (Hera IAM's consent puts them there). */
const iamProfile = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  name: z.string().optional(),
  iam_admin_role: z.unknown().optional(),
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
      async signIn({ profile }) {
        const parsed = iamProfile.safeParse(profile);
        if (!parsed.success) return "/signin?error=AccessDenied";
        const role = parseAdminRole(parsed.data.iam_admin_role);
        if (role) return true;
        await recordAudit({
          actor: { id: parsed.data.sub, email: parsed.data.email ?? null, role: null },
          action: "auth.sign_in",
          outcome: "denied",
          details: { reason: "no iam_admin_role in the ID token" },
        });
        return "/signin?error=AccessDenied";
      },
      async jwt({ token, account, profile }) {
        if (account) {
          const parsed = iamProfile.parse(profile);
          const role = parseAdminRole(parsed.iam_admin_role);
          if (!role) throw new Error("sign-in without an admin role");
          await recordAudit({ actor: { id: parsed.sub, email: parsed.email ?? null, role }, action: "auth.sign_in", outcome: "success" });
          return {
            sub: parsed.sub,
            email: parsed.email ?? null,
            name: parsed.name ?? null,
            role,
            idToken: account.id_token,
            authTime: Math.floor(Date.now() / 1000),
          };
        }
        // Activity extends the session (idle timeout), but never past the absolute cap.
        if (!token.role || !token.authTime || Date.now() / 1000 - token.authTime > SESSION_ABSOLUTE_SECONDS) {
          throw new Error("session ended");
        }
        return token;
      },
      session({ session, token }) {
        const role = parseAdminRole(token.role);
        if (!token.sub || !role) throw new Error("session without an admin role");
        session.user = { id: token.sub, email: token.email ?? null, name: token.name ?? null, role };
        return session;
      },
    },
  };
  return cached;
}
