import { describe, expect, it } from "vitest";
import { adminMetadataPatch } from "./admin-metadata-patch";

describe("adminMetadataPatch", () => {
  it("never uses `test`, which Kratos' identity PATCH refuses (ory/x jsonx.ApplyJSONPatch opAllowList)", () => {
    const cases: [unknown, Record<string, unknown> | null][] = [
      [null, { a: 1 }],
      [{ a: 1 }, { a: 2 }],
      [{ a: 1, b: 2 }, null],
      ["not an object", { a: 1 }],
    ];
    for (const [stored, next] of cases) {
      expect(adminMetadataPatch(stored, next).every((operation) => operation.op === "add" || operation.op === "remove")).toBe(true);
    }
  });

  it("adds the whole object when nothing is stored yet, since a key has no parent then", () => {
    expect(adminMetadataPatch(null, { iam_admin_role: "viewer" })).toEqual([
      { op: "add", path: "/metadata_admin", value: { iam_admin_role: "viewer" } },
    ]);
    expect(adminMetadataPatch(undefined, {})).toEqual([]);
    expect(adminMetadataPatch(null, null)).toEqual([]);
  });

  it("writes only the keys that change, so a concurrent change to another key survives", () => {
    expect(adminMetadataPatch({ team: "ops", iam_admin_role: "viewer", old: true }, { team: "ops", iam_admin_role: "admin" })).toEqual([
      { op: "remove", path: "/metadata_admin/old" },
      { op: "add", path: "/metadata_admin/iam_admin_role", value: "admin" },
    ]);
    expect(adminMetadataPatch({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });

  it("never writes the keys it is told to leave, even when the submitted object differs", () => {
    expect(adminMetadataPatch({ iam_admin_role: "admin", team: "a" }, { team: "b" }, { leave: ["iam_admin_role"] })).toEqual([
      { op: "add", path: "/metadata_admin/team", value: "b" },
    ]);
    expect(adminMetadataPatch(null, { iam_admin_role: "admin" }, { leave: ["iam_admin_role"] })).toEqual([]);
  });

  it("escapes keys as JSON Pointer tokens", () => {
    expect(adminMetadataPatch({}, { "a/b~c": 1 })).toEqual([{ op: "add", path: "/metadata_admin/a~1b~0c", value: 1 }]);
  });
});
