import { describe, expect, it } from "vitest";
import { goRfc3339Error, goTimeJson } from "./time";

/** Go's time.Time as encoding/json reads and writes it in the Ory servers (Go 1.26 time/format.go, format_rfc3339.go). */
describe("Go's time parsing texts (time/format.go Parse, format_rfc3339.go parseStrictRFC3339)", () => {
  it("accepts strict RFC 3339 times", () => {
    for (const t of ["2020-01-02T03:04:05Z", "2020-01-02T03:04:05.123456789+01:00", "2024-02-29T00:00:00-23:59"]) {
      expect(goRfc3339Error(t), t).toBeUndefined();
    }
  });

  it("refuses the rest with time.ParseError's text", () => {
    const layout = '"2006-01-02T15:04:05Z07:00"';
    const cases: [string, string][] = [
      ["x", `parsing time "x" as ${layout}: cannot parse "x" as "2006"`],
      ["2020", `parsing time "2020" as ${layout}: cannot parse "" as "-"`],
      ["2020-1-02T03:04:05Z", `parsing time "2020-1-02T03:04:05Z" as ${layout}: cannot parse "1-02T03:04:05Z" as "01"`],
      ["2020-13-02T03:04:05Z", `parsing time "2020-13-02T03:04:05Z": month out of range`],
      ["2021-02-29T03:04:05Z", `parsing time "2021-02-29T03:04:05Z": day out of range`],
      ["2020-01-02 03:04:05Z", `parsing time "2020-01-02 03:04:05Z" as ${layout}: cannot parse " 03:04:05Z" as "T"`],
      ["2020-01-02T25:04:05Z", `parsing time "2020-01-02T25:04:05Z": hour out of range`],
      ["2020-01-02T03:04:05", `parsing time "2020-01-02T03:04:05" as ${layout}: cannot parse "" as "Z07:00"`],
      ["2020-01-02T03:04:05+0100", `parsing time "2020-01-02T03:04:05+0100" as ${layout}: cannot parse "+0100" as "Z07:00"`],
      ["2020-01-02T03:04:05Zjunk", `parsing time "2020-01-02T03:04:05Zjunk": extra text: "junk"`],
      ["2020-01-02T3:04:05Z", `parsing time "2020-01-02T3:04:05Z" as ${layout}: cannot parse "3" as "15"`],
      ["2020-01-02T03:04:05,5Z", `parsing time "2020-01-02T03:04:05,5Z" as ${layout}: cannot parse "," as "."`],
      ["2020-01-02T03:04:05+24:00", `parsing time "2020-01-02T03:04:05+24:00": timezone hour out of range`],
      ["2020-01-02T03:04:05+25:00", `parsing time "2020-01-02T03:04:05+25:00": time zone offset hour out of range`],
      // The text is given as bytes (one char each), as Time.UnmarshalJSON sees it.
      [Buffer.from("é").toString("latin1"), `parsing time "\\xc3\\xa9" as ${layout}: cannot parse "\\xc3\\xa9" as "2006"`],
    ];
    for (const [value, message] of cases) expect(goRfc3339Error(value), value).toBe(message);
  });
});

describe("times as Go writes them back", () => {
  it("Time.MarshalJSON writes back the given offset and nanoseconds (RFC 3339 with trimmed fraction)", () => {
    expect(goTimeJson("2020-01-02T03:04:05.123456789+02:00")).toBe("2020-01-02T03:04:05.123456789+02:00");
    expect(goTimeJson("2020-01-02T03:04:05.1000000000-00:00")).toBe("2020-01-02T03:04:05.1Z");
    expect(goTimeJson("2020-01-02T03:04:05.000+00:00")).toBe("2020-01-02T03:04:05Z");
  });
});
