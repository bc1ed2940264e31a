import { GoTime } from "./go-time";

/**
 * The wall clock with Go's resolution: time.Now() has nanoseconds, Date.now()
 * milliseconds. The monotonic high-resolution clock is anchored to the wall
 * clock and re-anchored when the two drift apart (NTP steps), so times stay
 * within a millisecond of Date.now().
 */
let anchorWallNs = 0n;
let anchorMonoNs = 0n;

function anchor(): void {
  anchorWallNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  anchorMonoNs = process.hrtime.bigint();
}
anchor();

function epochNanos(): bigint {
  const ns = anchorWallNs + (process.hrtime.bigint() - anchorMonoNs);
  if (Math.abs(Number(ns / 1_000_000n) - Date.now()) > 1) {
    anchor();
    return anchorWallNs;
  }
  return ns;
}

/** time.Now().UTC(): what Kratos answers before a value went through Postgres. */
export function now(): GoTime {
  return GoTime.fromEpochNanos(epochNanos());
}

/** time.Now().Truncate(time.Microsecond): pop's created_at/updated_at stamps (Create, Update, UpdateColumns). */
export function nowMicroseconds(): GoTime {
  return now().truncateMicroseconds();
}
