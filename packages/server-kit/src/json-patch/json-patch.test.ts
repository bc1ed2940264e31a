import { describe, expect, it } from "vitest";
import { applyJsonPatch, JsonPatchError, parsePatch, parsePatchValue } from "./json-patch";

/**
 * oryx/jsonx/patch.go ApplyJSONPatch over evanphx/json-patch v5 (the texts
 * are json-patch's, which Kratos returns as the error message).
 */
const DENIED = [/^\/id$/, /^\/secret\/.*$/];
const apply = (doc: Parameters<typeof applyJsonPatch>[0], patch: unknown) => applyJsonPatch(doc, parsePatch(JSON.stringify(patch), DENIED));
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof JsonPatchError) return error.message;
    throw error;
  }
  throw new Error("expected a JsonPatchError");
};

describe("oryx/jsonx/patch.go ApplyJSONPatch", () => {
  const doc = { a: { b: 1, list: [1, 2] }, c: "x", metadata_admin: null };

  it("applies add, remove and replace without touching the input", () => {
    const out = apply(doc, [
      { op: "add", path: "/a/list/-", value: 3 },
      { op: "add", path: "/a/list/0", value: 0 },
      { op: "replace", path: "/c", value: "y" },
      { op: "replace", path: "/a/list/1", value: 9 },
      { op: "remove", path: "/a/b" },
    ]);
    expect(out).toEqual({ a: { list: [0, 9, 2, 3] }, c: "y", metadata_admin: null });
    expect(doc).toEqual({ a: { b: 1, list: [1, 2] }, c: "x", metadata_admin: null });
  });

  it("refuses test, move and copy (only add, remove and replace are allowed)", () => {
    expect(failure(() => apply(doc, [{ op: "test", path: "/c", value: "x" }]))).toBe("unsupported operation: test");
    expect(failure(() => apply(doc, [{ op: "move", from: "/c", path: "/d" }]))).toBe("unsupported operation: move");
    expect(failure(() => apply(doc, [{ op: "copy", from: "/c", path: "/d" }]))).toBe("unsupported operation: copy");
  });

  it("turns replace of a missing member into add and creates missing parents on add", () => {
    expect(apply(doc, [{ op: "replace", path: "/zzz", value: 1 }])).toMatchObject({ zzz: 1 });
    expect(apply(doc, [{ op: "add", path: "/x/y/0", value: "v" }])).toMatchObject({ x: { y: ["v"] } });
  });

  it("answers with json-patch's texts", () => {
    expect(failure(() => parsePatch("", []))).toBe("invalid state detected");
    expect(failure(() => parsePatch("{}", []))).toBe("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    expect(failure(() => apply(doc, [{ op: "add", path: "/c" }]))).toBe(
      'invalid operation {"op":"add","path":"/c"}: failed to decode \'value\': operation, missing value field: missing value',
    );
    expect(failure(() => apply(doc, [{ op: "remove", path: "/nope" }]))).toBe(
      "error in remove for path: '/nope': unable to remove nonexistent key: nope: missing value",
    );
    expect(failure(() => apply(doc, [{ op: "remove", path: "/q/r" }]))).toBe(
      'remove operation does not apply: doc is missing path: "/q/r": missing value',
    );
    expect(failure(() => apply(doc, [{ op: "replace", path: "/a/list/5", value: 1 }]))).toBe(
      "replace operation does not apply: doc is missing key: /a/list/5: missing value",
    );
    expect(failure(() => apply(doc, [{ op: "add", path: "/metadata_admin/k", value: 1 }]))).toBe(
      "error in add for path: '/metadata_admin/k': invalid value, expected object",
    );
  });

  it("denies the caller's paths, whatever the case, before applying anything", () => {
    expect(failure(() => apply(doc, [{ op: "replace", path: "/ID", value: "x" }]))).toBe("patch includes denied path: /ID");
    expect(
      failure(() =>
        apply(doc, [
          { op: "add", path: "/c", value: "y" },
          { op: "add", path: "/secret/a", value: 1 },
        ]),
      ),
    ).toBe("patch includes denied path: /secret/a");
    expect(apply(doc, [{ op: "add", path: "/secretive", value: 1 }])).toMatchObject({ secretive: 1 });
  });

  it("carries numbers kept as JSON.rawJSON through (json-patch keeps a value's json.RawMessage bytes)", () => {
    const raw = JSON as unknown as { rawJSON(text: string): Parameters<typeof applyJsonPatch>[0] };
    const ops = parsePatchValue([{ op: "add", path: "/a/n", value: { x: raw.rawJSON("2.50") } }], DENIED);
    const out = applyJsonPatch({ a: { m: raw.rawJSON("1e2") } }, ops);
    expect(JSON.stringify(out)).toBe(`{"a":{"m":1e2,"n":{"x":2.50}}}`);
    expect(failure(() => parsePatchValue([raw.rawJSON("1.0")], DENIED))).toBe(
      "json: cannot unmarshal number into Go value of type jsonpatch.Operation",
    );
  });
});
