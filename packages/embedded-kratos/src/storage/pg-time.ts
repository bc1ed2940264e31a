import pg from "pg";
import { GoTime, parseTimeText } from "../clock/go-time";

/**
 * Times through Postgres with microseconds, as Kratos keeps them: pg reads
 * timestamps into millisecond Dates and sends Dates with milliseconds, so
 * this server reads them as GoTime (all six digits) and sends a GoTime as
 * its microsecond text (GoTime.toPostgres).
 */
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/** Postgres' text of a timestamp; what parseTimeText does not read (infinity, BC years) is left to Date, as an invalid date. */
function parseTimestamp(text: string): Date {
  return parseTimeText(text) ?? new Date(text);
}

/** The type parsers of this server's connections: pg's, with timestamps read as GoTime. */
export const kratosTypes = new pg.TypeOverrides();
kratosTypes.setTypeParser(TIMESTAMP, "text", parseTimestamp);
kratosTypes.setTypeParser(TIMESTAMPTZ, "text", parseTimestamp);

function prepareParam(value: unknown): unknown {
  if (value instanceof GoTime) return value.toPostgres();
  if (Array.isArray(value)) return value.map(prepareParam);
  return value;
}

/** query(text, values, …) or query({ text, values, … }, …) with GoTime values turned into their text; other calls unchanged. */
function prepareArgs(args: unknown[]): unknown[] {
  const [first, second, ...rest] = args;
  if (Array.isArray(second)) return [first, second.map(prepareParam), ...rest];
  if (typeof first === "object" && first !== null && !("submit" in first) && "values" in first && Array.isArray(first.values)) {
    return [{ ...first, values: first.values.map(prepareParam) }, second, ...rest].slice(0, args.length);
  }
  return args;
}

/** pg's client, sending GoTime parameters with their microseconds. */
export class KratosPgClient extends pg.Client {}

const pgQuery: unknown = Reflect.get(pg.Client.prototype, "query");

Object.defineProperty(KratosPgClient.prototype, "query", {
  configurable: true,
  writable: true,
  value(this: pg.Client, ...args: unknown[]): unknown {
    if (typeof pgQuery !== "function") throw new TypeError("pg.Client has no query method");
    const result: unknown = Reflect.apply(pgQuery, this, prepareArgs(args));
    return result;
  },
});
