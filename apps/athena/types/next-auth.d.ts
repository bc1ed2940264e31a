import type { AdminRole } from "@/lib/auth/roles";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string | null; name: string | null; role: AdminRole };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: AdminRole;
    /** Kept server-side (the cookie is encrypted) for RP-initiated logout's id_token_hint. */
    idToken?: string;
    /** Seconds since epoch when the employee signed in; caps the session. */
    authTime?: number;
  }
}
