import pg from "pg";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isUniqueViolation } from "./outage";

function sqlError(code: string, message = "boom"): pg.DatabaseError {
  const error = new pg.DatabaseError(message, 0, "error");
  error.code = code;
  return error;
}

describe("isDatabaseUnavailable", () => {
  it("recognises connection-class SQLSTATEs, shutdowns and refused connections", () => {
    for (const code of ["08006", "08001", "57P01", "57P02", "57P03", "53300"])
      expect(isDatabaseUnavailable(sqlError(code)), code).toBe(true);
    expect(isDatabaseUnavailable(sqlError("55000", "database is not currently accepting connections"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([new Error("x"), Object.assign(new Error("y"), { code: "ECONNRESET" })]))).toBe(true);
  });

  it("leaves bugs and data errors alone", () => {
    expect(isDatabaseUnavailable(sqlError("23505"))).toBe(false);
    expect(isDatabaseUnavailable(sqlError("55000", "object in use"))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });

  it("counts a server's own outage error, inside an AggregateError too", () => {
    class Outage extends Error {}
    const mine = (error: unknown) => error instanceof Outage;
    expect(isDatabaseUnavailable(new Outage("down"), mine)).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([new Outage("down")]), mine)).toBe(true);
    expect(isDatabaseUnavailable(new Outage("down"))).toBe(false);
  });

  it("tells a unique violation", () => {
    expect(isUniqueViolation(sqlError("23505"))).toBe(true);
    expect(isUniqueViolation(sqlError("23503"))).toBe(false);
  });
});
