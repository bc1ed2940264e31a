import { describe, expect, it } from "vitest";
import { GoValueTooDeepError, readGoNode } from "../go-json";
import { decodeRawPatch } from "./decode-raw-patch";
import { JsonPatchError } from "./json-patch";
import { applyRawPatch } from "./lazy-json-patch";

/**
 * oryx/jsonx/patch.go ApplyJSONPatch over evanphx/json-patch v5.9.11
 * (DecodePatch, then ApplyWithOptions with EnsurePathExistsOnAdd): the
 * checks before anything is applied, with json-patch's texts.
 */
const DENIED = [/^\/id$/, /^\/secret\/.*$/];
const decode = (patch: unknown) =>
  decodeRawPatch(Buffer.from(typeof patch === "string" ? patch : JSON.stringify(patch), "utf8"), { deniedPaths: DENIED });
const apply = (doc: string, patch: unknown) => {
  const bytes = Buffer.from(doc, "utf8");
  return applyRawPatch(readGoNode(bytes, bytes.length), decode(patch));
};
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
  const doc = `{"a":{"b":1,"list":[1,2]},"c":"x","metadata_admin":null}`;

  it("applies add, remove and replace", () => {
    const out = apply(doc, [
      { op: "add", path: "/a/list/-", value: 3 },
      { op: "add", path: "/a/list/0", value: 0 },
      { op: "replace", path: "/c", value: "y" },
      { op: "replace", path: "/a/list/1", value: 9 },
      { op: "remove", path: "/a/b" },
    ]);
    expect(out).toBe(`{"a":{"list":[0,9,2,3]},"c":"y","metadata_admin":null}`);
  });

  it("refuses test, move and copy (isUnsupported: only add, remove and replace)", () => {
    expect(failure(() => apply(doc, [{ op: "test", path: "/c", value: "x" }]))).toBe("unsupported operation: test");
    expect(failure(() => apply(doc, [{ op: "move", from: "/c", path: "/d" }]))).toBe("unsupported operation: move");
    expect(failure(() => apply(doc, [{ op: "copy", from: "/c", path: "/d" }]))).toBe("unsupported operation: copy");
  });

  it("turns replace of a missing member into add and creates missing parents on add (EnsurePathExistsOnAdd)", () => {
    expect(apply(doc, [{ op: "replace", path: "/zzz", value: 1 }])).toBe(
      `{"a":{"b":1,"list":[1,2]},"c":"x","metadata_admin":null,"zzz":1}`,
    );
    expect(apply(`{}`, [{ op: "add", path: "/x/y/0", value: "v" }])).toBe(`{"x":{"y":["v"]}}`);
    // A null in the document becomes the container the path needs.
    expect(apply(`{"m":null}`, [{ op: "add", path: "/m/k", value: 1 }])).toBe(`{"m":{"k":1}}`);
  });

  it("answers with json-patch's texts", () => {
    expect(failure(() => decode(""))).toBe("invalid state detected");
    expect(failure(() => decode("[] x"))).toBe("invalid state detected");
    expect(failure(() => decode("{}"))).toBe("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    expect(failure(() => decode("[1.0]"))).toBe("json: cannot unmarshal number into Go value of type jsonpatch.Operation");
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
    expect(apply(`{}`, [{ op: "add", path: "/secretive", value: 1 }])).toBe(`{"secretive":1}`);
  });

  it("keeps a value's text, the last `value` given (Operation is a map of json.RawMessage)", () => {
    expect(apply(`{"a":{"m":1e2}}`, `[{"op":"add","path":"/a/n","value":0,"value":{"x":2.50}}]`)).toBe(`{"a":{"m":1e2,"n":{"x":2.50}}}`);
  });

  it("hands the body's value to `inspect` and leaves a body nested too deeply to the caller", () => {
    const seen: unknown[] = [];
    decodeRawPatch(Buffer.from(`[{"op":"remove","path":"/a"}]`), { deniedPaths: [], inspect: (value) => seen.push(value) });
    expect(seen).toEqual([[{ op: "remove", path: "/a" }]]);
    expect(() => decode(`[${"[".repeat(200)}${"]".repeat(200)}]`)).toThrow(GoValueTooDeepError);
  });
});
