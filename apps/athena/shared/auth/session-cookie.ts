import "server-only";
import { decode, type JWT } from "next-auth/jwt";
import { cookies } from "next/headers";
import { athenaConfig } from "@/shared/server/config";
import { sessionCookieName } from "./cookie-names";
import { SESSION_ABSOLUTE_SECONDS } from "./policy";

function chunkIndex(name: string): number {
  const match = /\.(\d+)$/.exec(name);
  return match ? Number(match[1]) : -1;
}

/** The session cookie's parts (next-auth splits a large one into `.0`, `.1`, …), in order. */
export async function sessionCookieParts(): Promise<{ name: string; value: string }[]> {
  const name = sessionCookieName(athenaConfig().publicUrl);
  return (await cookies())
    .getAll()
    .filter((c) => c.name === name || c.name.startsWith(`${name}.`))
    .sort((a, b) => chunkIndex(a.name) - chunkIndex(b.name));
}

/**
 * The decrypted session token, or null when there is none or it is no
 * longer valid: bad or expired cookie (idle timeout), or past the absolute
 * cap. Reading it does not renew it; the session endpoint does that.
 */
export async function readSessionToken(): Promise<JWT | null> {
  const parts = await sessionCookieParts();
  if (parts.length === 0) return null;
  const token = await decode({ token: parts.map((c) => c.value).join(""), secret: athenaConfig().auth.secret }).catch(() => null);
  if (!token?.authTime || Date.now() / 1000 - token.authTime > SESSION_ABSOLUTE_SECONDS) return null;
  return token;
}
