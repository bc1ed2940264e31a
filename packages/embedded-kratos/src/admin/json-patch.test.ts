import { describe, expect, it } from "vitest";
import { applyJsonPatch, JsonPatchError } from "./json-patch";

describe("applyJsonPatch (RFC 6902)", () => {
  const doc = { a: { b: 1, list: [1, 2] }, c: "x" };

  it("applies add, remove, replace, move, copy and test", () => {
    const out = applyJsonPatch(doc, [
      { op: "add", path: "/a/list/-", value: 3 },
      { op: "add", path: "/a/list/0", value: 0 },
      { op: "replace", path: "/c", value: "y" },
      { op: "copy", from: "/a/b", path: "/d" },
      { op: "move", from: "/d", path: "/e" },
      { op: "remove", path: "/a/b" },
      { op: "test", path: "/e", value: 1 },
    ]);
    expect(out).toEqual({ a: { list: [0, 1, 2, 3] }, c: "y", e: 1 });
    expect(doc).toEqual({ a: { b: 1, list: [1, 2] }, c: "x" });
  });

  it("fails atomically on missing paths and failed tests", () => {
    expect(() => applyJsonPatch(doc, [{ op: "remove", path: "/nope" }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, [{ op: "replace", path: "/a/zzz", value: 1 }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/c", value: "z" }])).toThrow(JsonPatchError);
  });

  it("tests JSON equality, not text: object members in any order, arrays in order", () => {
    expect(applyJsonPatch(doc, [{ op: "test", path: "/a", value: { list: [1, 2], b: 1 } }])).toEqual(doc);
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/a/list", value: [2, 1] }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/a", value: { b: 1 } }])).toThrow(JsonPatchError);
  });
});
