import { DerReader, TAG } from "./der";

/**
 * cryptobyte's ReadASN1UTCTime and ReadASN1GeneralizedTime: time.Parse with
 * "060102150405Z0700" (UTCTime also "0601021504Z0700") or
 * "20060102150405Z0700", then the value must be exactly what Format
 * writes back. Together that is: fixed-width digits, each field in
 * time.Parse's range (the day within its month), and a zone that is "Z"
 * or a non-zero ±hhmm whose minutes are below 60 and hours at most 24
 * (Parse allows 24; Format would write "+0000" as "Z" and "+0060" as
 * "+0100", so those do not round-trip).
 */

const UTC_WITH_SECONDS = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{4})$/;
const UTC_WITHOUT_SECONDS = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})()(Z|[+-]\d{4})$/;
const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{4})$/;

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validZone(zone: string): boolean {
  if (zone === "Z") return true;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(3, 5));
  return hours <= 24 && minutes < 60 && hours + minutes > 0;
}

function roundTrips(match: RegExpExecArray | null, twoDigitYear: boolean): boolean {
  if (!match) return false;
  const [, y = "", mo = "", d = "", h = "", mi = "", s = "", zone = ""] = match;
  let year = Number(y);
  // Parse's "06": 69–99 are 19xx, 00–68 are 20xx (the leap-year rule needs the century).
  if (twoDigitYear) year += year >= 69 ? 1900 : 2000;
  const month = Number(mo);
  const day = Number(d);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(month, year) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    (s === "" || Number(s) < 60) &&
    validZone(zone)
  );
}

/** parser.go readASN1Time: the error text, or undefined once a time is read. */
export function readAsn1Time(der: DerReader): string | undefined {
  if (der.peek(TAG.UTCTime)) {
    const text = der.read(TAG.UTCTime)?.toString("latin1");
    if (text === undefined) return "x509: malformed UTCTime";
    const ok = roundTrips(UTC_WITH_SECONDS.exec(text), true) || roundTrips(UTC_WITHOUT_SECONDS.exec(text), true);
    return ok ? undefined : "x509: malformed UTCTime";
  }
  if (der.peek(TAG.GeneralizedTime)) {
    const text = der.read(TAG.GeneralizedTime)?.toString("latin1");
    return text !== undefined && roundTrips(GENERALIZED.exec(text), false) ? undefined : "x509: malformed GeneralizedTime";
  }
  return "x509: unsupported time format";
}
