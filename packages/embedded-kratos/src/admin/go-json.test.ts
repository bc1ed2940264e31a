import { describe, expect, it } from "vitest";
import { JsonText } from "../http/json-text";
import { decodeGoJson, type GoType } from "./go-json";
import { storedWallClock } from "./go-time";

/**
 * Kratos' binding of the shared Go decoder (@olympus/server-kit/go-json,
 * whose tests hold Go's texts): identity/handler.go keeps traits and
 * metadata as json.RawMessage and answers them as sent, compacted.
 */
describe("raw fields Kratos answers with their text (json.RawMessage, encoding/json Compact)", () => {
  const body: GoType & { kind: "struct" } = {
    kind: "struct",
    name: "identity.CreateIdentityBody",
    fields: { traits: { kind: "raw", numberText: true, keepText: true }, metadata_admin: { kind: "raw" } },
  };

  it("decodes a raw field with keepText to a JsonText holding the compact text as written", () => {
    const decoded = decodeGoJson('{"traits": {"b": 1.50, "a": [1, 2], "b": 2}, "metadata_admin": {"x": 1}}', body, { strict: true });
    expect(decoded.traits).toBeInstanceOf(JsonText);
    expect(decoded.traits instanceof JsonText ? decoded.traits.text : undefined).toBe('{"b":1.50,"a":[1,2],"b":2}');
    expect(decoded.metadata_admin).toEqual({ x: 1 });
  });
});

describe("times as Kratos stores them", () => {
  it("pgx keeps the wall clock in a `timestamp` column (pgtype TimestampCodec discardTimeZone), read back as UTC", () => {
    expect(storedWallClock("2020-01-02T03:04:05.123456789+02:00").toISOString()).toBe("2020-01-02T03:04:05.123456Z");
    expect(storedWallClock("2020-01-02T23:30:00-05:00").toISOString()).toBe("2020-01-02T23:30:00Z");
  });
});
