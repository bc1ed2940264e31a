// A module (not a script), so the blocks below augment next-auth's types instead of replacing them.
export {};

declare module "next-auth" {
  interface Session {
    /** Display data only; the role is read on the server from the session row, per request. */
    user: { id: string; email: string | null; name: string | null };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The opaque id of the server-side session (olympus_athena_sessions); the role and IAM tokens stay there. */
    sid?: string;
    /** Seconds since epoch when the employee signed in; caps the session. */
    authTime?: number;
  }
}
