/**
 * The times inside courier page tokens: Go's time.Time JSON (RFC 3339,
 * any fraction, `Z` or a `±hh:mm` offset) as `time.Parse` accepts it, and
 * the UTC instant the query compares with, truncated to microseconds as
 * Kratos' Postgres driver sends it.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number) => [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;

/**
 * The instant as Postgres timestamptz text (`YYYY-MM-DDTHH:MM:SS.ffffffZ`),
 * `-infinity` before year 1 (no row is that old, and Postgres reads no year
 * 0), `infinity` after 9999, or undefined when Go's time.Parse refuses the text.
 */
export function goTimeToPostgres(text: string): string | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetHours = Number(m[9] ?? 0);
  const offsetMinutes = Number(m[10] ?? 0);
  if (offsetHours > 24 || offsetMinutes > 59) return undefined;
  const sign = m[8] === "-" ? -1 : 1;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - sign * (offsetHours * 60 + offsetMinutes), second, 0);
  const utcYear = date.getUTCFullYear();
  if (utcYear < 1) return "-infinity";
  // Likewise after year 9999, which Postgres' ISO input does not take as written here.
  if (utcYear > 9999) return "infinity";
  const micros = (m[7] ?? "").padEnd(6, "0").slice(0, 6);
  const body = date.toISOString().replace(/\.\d{3}Z$/, "");
  return `${body}.${micros}Z`;
}
