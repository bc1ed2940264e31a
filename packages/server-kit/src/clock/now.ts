/**
 * The wall clock with Go's resolution: time.Now() has nanoseconds,
 * Date.now() milliseconds. The monotonic high-resolution clock is anchored
 * to the wall clock and re-anchored when the two drift apart (an NTP step),
 * so instants stay within a millisecond of Date.now().
 */

let anchorWallNs = 0n;
let anchorMonoNs = 0n;

function anchor(): void {
  anchorMonoNs = process.hrtime.bigint();
  const preciseNs = Math.round((performance.timeOrigin + performance.now()) * 1e6);
  const wallMs = Date.now();
  // performance.timeOrigin is fixed when the process starts: after a wall-clock step it is off by the step,
  // and re-anchoring on it alone would never catch up with Date.now().
  anchorWallNs = BigInt(Math.abs(preciseNs / 1e6 - wallMs) > 1 ? wallMs * 1e6 : preciseNs);
}
anchor();

/** time.Now() as nanoseconds since the Unix epoch. */
export function nowNanos(): bigint {
  const ns = anchorWallNs + (process.hrtime.bigint() - anchorMonoNs);
  if (Math.abs(Number(ns / 1_000_000n) - Date.now()) > 1) {
    anchor();
    return anchorWallNs;
  }
  return ns;
}
