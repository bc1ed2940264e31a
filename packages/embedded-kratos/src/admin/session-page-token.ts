import { adminErrors } from "./errors";
import { parseUuid } from "@olympus/server-kit/go-json";
import { goBytes, goQueryUnescape, goValuesFirstNonEmpty, utf8Text } from "@olympus/server-kit/go-url";

/**
 * The admin session list's keyset page tokens (ory/x keysetpagination
 * MapPageToken, as session.Session.PageToken fills it): unpadded standard
 * base64 of `id=<uuid>/created_at=<2006-01-02 15:04:05.99999>` — Go writes the
 * two fields in map order, so either may come first.
 */

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** Session.DefaultPageToken: before every session (the nil id, created_at 2200-12-31 23:59:59). */
export const DEFAULT_SESSION_TOKEN = { id: NIL_UUID, createdAt: "2200-12-31 23:59:59" };

export interface SessionPagePosition {
  id: string;
  /** Absent when the token had no created_at field. */
  createdAt?: string;
}

/** MapPageToken.Encode. */
export function encodeSessionPageToken(position: { id: string; createdAt: string }): string {
  return Buffer.from(`id=${position.id}/created_at=${position.createdAt}`, "utf8").toString("base64").replace(/=+$/, "");
}

/** base64.RawStdEncoding.DecodeString: no padding, standard alphabet; CR and LF are skipped. */
function rawStdBase64(value: string): string | undefined {
  const text = value.replace(/[\r\n]/g, "");
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, "base64").toString("utf8");
}

/** keysetpagination.Parse with NewMapPageToken: the token's fields; an unreadable token is the handler's `page_size` message. Absent or empty: the default token. */
export function readSessionPageToken(query: URLSearchParams): Map<string, string> {
  const raw = goValuesFirstNonEmpty(query, "page_token");
  if (raw === "")
    return new Map([
      ["id", DEFAULT_SESSION_TOKEN.id],
      ["created_at", DEFAULT_SESSION_TOKEN.createdAt],
    ]);
  const unescaped = goQueryUnescape(goBytes(raw));
  const decoded = "error" in unescaped ? undefined : rawStdBase64(utf8Text(unescaped.value));
  if (decoded === undefined) throw adminErrors.badRequestMessage("could not parse parameter page_size");
  const fields = new Map<string, string>();
  for (const part of decoded.split("/")) {
    const eq = part.indexOf("=");
    if (eq >= 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return fields;
}

const pageTokenInvalid = () => adminErrors.badRequest("The page token is invalid, do not craft your own page tokens");

/** A real calendar time in the layout Session.PageToken writes (fraction up to microseconds). */
function isTokenTime(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?$/.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

/**
 * ListSessions' check of the token: its id must be a UUID, else
 * x.PageTokenInvalid. Kratos hands created_at to the database unchecked, so
 * a crafted one that is not a time is a database error (500) there; here it
 * is the same x.PageTokenInvalid, so hostile input never causes a 500.
 */
export function sessionPagePosition(fields: ReadonlyMap<string, string>): SessionPagePosition {
  // gofrs' uuid.FromString must read the id, which then goes to Postgres as written: Postgres refuses the
  // `urn:uuid:` form (a 500 in Kratos), so that form is x.PageTokenInvalid here.
  const raw = fields.get("id") ?? "";
  const id = raw.startsWith("urn:") ? undefined : parseUuid(raw);
  if (id === undefined) throw pageTokenInvalid();
  const createdAt = fields.get("created_at");
  if (createdAt !== undefined && !isTokenTime(createdAt)) throw pageTokenInvalid();
  return { id, createdAt };
}
