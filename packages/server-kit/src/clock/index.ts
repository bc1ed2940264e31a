export { nowNanos } from "./now";
export {
  GO_ZERO_NANOS,
  goTimeNanos,
  goUtcJson,
  goUtcJsonInRange,
  parseTimeText,
  rfc3339NanoOfIso,
  roundSecond,
  truncateMicroseconds,
  type MilliInstant,
} from "./rfc3339-nano";
