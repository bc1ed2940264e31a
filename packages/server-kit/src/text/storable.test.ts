import { describe, expect, it } from "vitest";
import { isStorableJson, isStorableQuery, isStorableText, unstorableReason } from "./storable";

describe("storable text (what Postgres text and jsonb accept)", () => {
  it("refuses NUL and unpaired surrogates, accepts paired ones", () => {
    expect(isStorableText("plain ✓")).toBe(true);
    expect(isStorableText("emoji \ud83d\ude00")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("lone high \ud83d")).toBe(false);
    expect(isStorableText("\ude00 lone low")).toBe(false);
  });

  it("reads escapes in serialised JSON", () => {
    expect(isStorableJson(JSON.stringify({ a: "\ud83d\ude00" }))).toBe(true);
    expect(isStorableJson('{"a":"\\u0000"}')).toBe(false);
    expect(isStorableJson('{"a":"\\ud83d"}')).toBe(false);
    expect(isStorableJson('{"a":"\\ud83d\\ude00"}')).toBe(true);
  });

  it("checks every key and value of a query", () => {
    expect(isStorableQuery(new URLSearchParams("a=1&b=2"))).toBe(true);
    expect(isStorableQuery(new URLSearchParams("a=%00"))).toBe(false);
    expect(isStorableQuery(new URLSearchParams("%00=a"))).toBe(false);
  });

  it("names the first problem of a parsed body, keys included", () => {
    expect(unstorableReason({ a: ["ok", { b: 1 }] })).toBeUndefined();
    expect(unstorableReason({ "k\u0000": 1 })).toBe("text");
    expect(unstorableReason([1, ["\ud800"]])).toBe("text");
    let deep: unknown = "x";
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(unstorableReason(deep)).toBe("depth");
    // Depth-first: a bad string met before the nesting limit wins.
    expect(unstorableReason(["\u0000", deep])).toBe("text");
  });
});
