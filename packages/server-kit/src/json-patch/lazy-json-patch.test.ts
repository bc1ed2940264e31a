import { describe, expect, it } from "vitest";
import { readGoNode } from "../go-json";
import { decodeRawPatch } from "./decode-raw-patch";
import { JsonPatchError } from "./json-patch";
import { applyRawPatch, MAX_PADDING } from "./lazy-json-patch";

/**
 * evanphx/json-patch v5.9.11 (v5/patch.go) as oryx/jsonx/patch.go
 * ApplyJSONPatch runs it for Kratos' identity/handler.go patchIdentity and
 * Hydra's client/handler.go patchOAuth2Client: the document is the
 * marshalled identity's or client's text, the operations' values the
 * body's text; the result is json-patch's text.
 */
const node = (text: string) => {
  const bytes = Buffer.from(text, "utf8");
  return readGoNode(bytes, bytes.length);
};
const patch = (doc: string, ops: string) => applyRawPatch(node(doc), decodeRawPatch(Buffer.from(ops, "utf8"), { deniedPaths: [/^\/id$/] }));
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof JsonPatchError) return error.message;
    throw error;
  }
  throw new Error("expected a JsonPatchError");
};

describe("evanphx/json-patch v5/patch.go: the document's text", () => {
  it("keeps an object's key order, adding new keys last (partialDoc.set, TrustMarshalJSON writes n.keys)", () => {
    // jsonb's order (by length): "a" before "10"; a JavaScript object would put "10" first.
    const doc = `{"traits":{"a":2,"10":1,"b":3}}`;
    expect(patch(doc, `[{"op":"add","path":"/traits/c","value":4}]`)).toBe(`{"traits":{"a":2,"10":1,"b":3,"c":4}}`);
    expect(patch(doc, `[{"op":"replace","path":"/traits/a","value":5}]`)).toBe(`{"traits":{"a":5,"10":1,"b":3}}`);
    expect(patch(doc, `[{"op":"remove","path":"/traits/a"},{"op":"add","path":"/traits/a","value":6}]`)).toBe(
      `{"traits":{"10":1,"b":3,"a":6}}`,
    );
  });

  it("keeps values no path goes through as their text, compacted with HTML escaping (lazyNode raw, compact)", () => {
    const doc = `{"x":{"k":1e2,"k":2.50,"s":"\\u0041\\/<&>"},"traits":{"n":1.0}}`;
    expect(patch(doc, `[{"op":"add","path":"/traits/m","value":1}]`)).toBe(
      `{"x":{"k":1e2,"k":2.50,"s":"\\u0041\\/\\u003c\\u0026\\u003e"},"traits":{"n":1.0,"m":1}}`,
    );
  });

  it("writes an opened object's repeated keys once per place with the last value (UnmarshalValidWithKeys, partialDoc.remove)", () => {
    const doc = `{"m":{"a":1,"b":2,"a":3}}`;
    expect(patch(doc, `[{"op":"add","path":"/m/c","value":4}]`)).toBe(`{"m":{"a":3,"b":2,"a":3,"c":4}}`);
    // remove drops the first place and the value: the other place is written as null.
    expect(patch(doc, `[{"op":"remove","path":"/m/a"}]`)).toBe(`{"m":{"b":2,"a":null}}`);
  });

  it("writes an opened object's keys as its own encoder does (MarshalEscaped of each key)", () => {
    const doc = `{"m":{"\\u0041":1,"<\\b":2}}`;
    expect(patch(doc, `[{"op":"add","path":"/m/z","value":0}]`)).toBe(`{"m":{"A":1,"\\u003c\\u0008":2,"z":0}}`);
  });

  it("adds a value as the body wrote it (Operation.value: the json.RawMessage of `value`)", () => {
    const ops = `[{"op":"add","path":"/v","value":"x","value": { "s" : "\\u00e9<", "n": 2.50 , "n":1 }}]`;
    expect(patch(`{}`, ops)).toBe(`{"v":{"s":"\\u00e9\\u003c","n":2.50,"n":1}}`);
  });
});

describe("evanphx/json-patch v5/patch.go: paths", () => {
  it("turns a null in the document into a container on add, but not a null added earlier (ensurePathExists, intoDoc)", () => {
    expect(patch(`{"m":null,"n":1}`, `[{"op":"add","path":"/m/k","value":1}]`)).toBe(`{"m":{"k":1},"n":1}`);
    // An index after the null makes it an array.
    expect(patch(`{"m":null}`, `[{"op":"add","path":"/m/0","value":1}]`)).toBe(`{"m":[1]}`);
    expect(patch(`{"m":null}`, `[{"op":"add","path":"/m/a/0","value":1}]`)).toBe(`{"m":{"a":[1]}}`);
    const added = `[{"op":"add","path":"/p","value":null},{"op":"add","path":"/p/k","value":1}]`;
    expect(failure(() => patch(`{}`, added))).toBe("invalid state detected");
    expect(failure(() => patch(`{"s":"x"}`, `[{"op":"add","path":"/s/k","value":1}]`))).toBe("invalid state detected");
    expect(failure(() => patch(`{"m":null}`, `[{"op":"remove","path":"/m/k"}]`))).toBe(
      'remove operation does not apply: doc is missing path: "/m/k": missing value',
    );
  });

  it("pads and inserts into arrays as ensurePathExists and partialArray.add do", () => {
    expect(patch(`{}`, `[{"op":"add","path":"/n/2/x","value":1}]`)).toBe(`{"n":[null,null,{"x":1}]}`);
    // A null element is no container: a new one is inserted in its place, the null moves on.
    expect(patch(`{"a":[null]}`, `[{"op":"add","path":"/a/0/x","value":1}]`)).toBe(`{"a":[{"x":1},null]}`);
    expect(patch(`{"a":[1,2]}`, `[{"op":"add","path":"/a/-","value":3},{"op":"add","path":"/a/-3","value":0}]`)).toBe(`{"a":[1,0,2,3]}`);
    expect(patch(`{"a":[1,2]}`, `[{"op":"replace","path":"/a/-1","value":9}]`)).toBe(`{"a":[1,9]}`);
    expect(failure(() => patch(`{"a":[1]}`, `[{"op":"replace","path":"/a/-","value":9}]`))).toBe(
      "replace operation does not apply: doc is missing key: /a/-: missing value",
    );
    expect(failure(() => patch(`{"a":[1]}`, `[{"op":"add","path":"/a/x","value":9}]`))).toBe(
      `error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
    );
    // strconv.Atoi quotes the segment's bytes as strconv.Quote does: printable runes as they are, a tab escaped.
    expect(failure(() => patch(`{"a":[1]}`, `[{"op":"add","path":"/a/é\\t","value":9}]`))).toBe(
      `error in add for path: '/a/é\t': value was not a proper array index: 'é\t': strconv.Atoi: parsing "é\\t": invalid syntax`,
    );
    expect(failure(() => patch(`{"a":[1]}`, `[{"op":"remove","path":"/a/99999999999999999999"}]`))).toBe(
      `error in remove for path: '/a/99999999999999999999': strconv.Atoi: parsing "99999999999999999999": value out of range`,
    );
  });

  it("refuses to pad arrays beyond MAX_PADDING nulls (json-patch would allocate them)", () => {
    expect(failure(() => patch(`{}`, `[{"op":"add","path":"/n/${MAX_PADDING + 1}/x","value":1}]`))).toBe(
      `the patch pads arrays with more than ${MAX_PADDING} nulls`,
    );
  });

  it('reads an empty segment as the document\'s own node (partialDoc.get of "": self)', () => {
    // The root's self is the document as first read: changes there never reach the result.
    expect(patch(`{"a":1}`, `[{"op":"add","path":"//x","value":2}]`)).toBe(`{"a":1}`);
    // Objects opened along a path have no self.
    expect(failure(() => patch(`{"m":{}}`, `[{"op":"add","path":"/m//x","value":2}]`))).toBe(
      'add operation does not apply: doc is missing path: "/m//x": missing value',
    );
    expect(failure(() => patch(`{"a":1}`, `[{"op":"remove","path":""}]`))).toBe(
      "error in remove for path: '': unable to remove nonexistent key: : missing value",
    );
  });

  it('replaces the whole document on add at "" (Patch.add)', () => {
    expect(patch(`{"a":1}`, `[{"op":"add","path":"","value":{"b":1,"a":2}},{"op":"add","path":"/c","value":3}]`)).toBe(
      `{"b":1,"a":2,"c":3}`,
    );
    expect(failure(() => patch(`{"a":1}`, `[{"op":"add","path":"","value":1}]`))).toBe(
      "json: cannot unmarshal number into Go value of type map[string]*jsonpatch.lazyNode",
    );
    expect(failure(() => patch(`{"a":1}`, `[{"op":"add","path":"","value":null}]`))).toBe(
      "json: error calling MarshalJSON for type *jsonpatch.partialDoc: invalid value, expected object",
    );
  });

  it("creates missing steps under the segment as written, then looks them up unescaped (ensurePathExists, findObject)", () => {
    expect(failure(() => patch(`{}`, `[{"op":"add","path":"/a~1b/c","value":1}]`))).toBe(
      'add operation does not apply: doc is missing path: "/a~1b/c": missing value',
    );
    expect(patch(`{"a/b":{}}`, `[{"op":"add","path":"/a~1b/c~0","value":1}]`)).toBe(`{"a/b":{"c~":1}}`);
  });
});

describe("limits", () => {
  it("refuses an add whose path is deeper than a body may be nested", () => {
    expect(() => patch(`{}`, `[{"op":"add","path":"${"/a".repeat(5000)}","value":1}]`)).toThrow("nested too deeply");
  });
});

describe("oryx/jsonx/patch.go ApplyJSONPatch: replace", () => {
  it("tolerates a replace whose last segment is no int (isElementAccess: strconv.Atoi) as an add", () => {
    expect(patch(`{"m":{}}`, `[{"op":"replace","path":"/m/99999999999999999999","value":1}]`)).toBe(`{"m":{"99999999999999999999":1}}`);
    expect(failure(() => patch(`{"m":{}}`, `[{"op":"replace","path":"/m/9","value":1}]`))).toBe(
      "replace operation does not apply: doc is missing key: /m/9: missing value",
    );
  });
});
