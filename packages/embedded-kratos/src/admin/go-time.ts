import { ACCEPTED_RFC3339, goTimeJson } from "@olympus/server-kit/go-json";
import { GivenTime, GoTime, parseTimeText } from "../clock/go-time";

/**
 * Times of admin request bodies as Kratos keeps and answers them. Go's
 * parsing (time.Time UnmarshalJSON, its errors) and writing back
 * (Time.MarshalJSON) are @olympus/server-kit/go-json's goRfc3339Error and
 * goTimeJson.
 */

export { goRfc3339Error, goTimeJson } from "@olympus/server-kit/go-json";

/**
 * What Kratos' Postgres keeps of a time it writes: its columns are
 * `timestamp` without time zone and pgx stores the wall clock of the value
 * in its own zone, dropping the offset (pgtype TimestampCodec,
 * discardTimeZone), truncated to microseconds; reads take it as UTC. So
 * `2020-01-01T10:00:00.123456789+02:00` reads back as
 * `2020-01-01T10:00:00.123456Z`.
 */
export function storedWallClock(value: string): GoTime {
  const m = ACCEPTED_RFC3339.exec(value);
  if (!m) return GoTime.from(new Date(value));
  return (parseTimeText(`${m[1] ?? ""}${m[2] ? `.${m[2]}` : ""}Z`) ?? GoTime.from(new Date(value))).truncateMicroseconds();
}

/** A time given in a request body: stored as storedWallClock keeps it, answered as Go writes it back (goTimeJson). */
export function givenTime(value: string): GivenTime {
  return new GivenTime(storedWallClock(value), goTimeJson(value));
}
