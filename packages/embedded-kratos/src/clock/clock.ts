import { nowNanos } from "@olympus/server-kit/clock";
import { GoTime } from "./go-time";

/**
 * time.Now().UTC(): what Kratos answers before a value went through Postgres
 * (nanoseconds: @olympus/server-kit/clock's nowNanos).
 */
export function now(): GoTime {
  return GoTime.fromEpochNanos(nowNanos());
}

/** time.Now().Truncate(time.Microsecond): pop's created_at/updated_at stamps (Create, Update, UpdateColumns). */
export function nowMicroseconds(): GoTime {
  return now().truncateMicroseconds();
}
