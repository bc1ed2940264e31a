import { describe, expect, it } from "vitest";
import { compileJsonSchema } from "./jsonschema/validator";
import { listSchemaPaths } from "./schema-paths";

/**
 * ory/x jsonschemax.ListPaths as Kratos v26.2.0 vendors it
 * (oryx/jsonschemax/keys.go listPaths, runPaths, makeUnique), the list
 * ui/container NodesFromJSONSchema and GetIdentifierLabelFromSchema read.
 */
const listing = (document: Record<string, unknown>) => listSchemaPaths(compileJsonSchema(document).root);
const namesAndHints = (document: Record<string, unknown>) => {
  const { paths, failure } = listing(document);
  expect(failure).toBeUndefined();
  return paths.map((p) => [p.name, p.typeHint]);
};
const withTraits = (traits: Record<string, unknown>, beside: Record<string, unknown> = {}) => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: { traits, ...beside },
});

describe("listSchemaPaths (jsonschemax.ListPaths)", () => {
  it("lists the properties under allOf, anyOf, oneOf, not, if, then and else at their names, by name", () => {
    const doc = withTraits({
      type: "object",
      properties: { email: { type: "string" } },
      allOf: [{ properties: { a: { type: "string" } } }],
      anyOf: [{ properties: { b: { type: "boolean" } } }],
      oneOf: [{ properties: { c: { type: "number" } } }],
      not: { properties: { d: { type: "integer" } } },
      if: { properties: { e: { const: "x" } } },
      then: { properties: { f: { type: "string" } } },
      else: { properties: { g: { type: "string" } } },
    });
    expect(namesAndHints(doc)).toEqual([
      ["traits", "json"],
      ["traits.a", "string"],
      ["traits.b", "bool"],
      ["traits.c", "float"],
      ["traits.d", "int"],
      ["traits.e", "string"],
      ["traits.email", "string"],
      ["traits.f", "string"],
      ["traits.g", "string"],
    ]);
  });

  it("lists a path only for a const, a default or exactly one type other than null", () => {
    const doc = withTraits({
      type: "object",
      properties: {
        nullable: { type: ["string", "null"] },
        nothing: { type: "null" },
        untyped: { title: "Untyped" },
        three: { type: ["string", "number", "boolean"] },
        nullableWithDefault: { type: ["string", "null"], default: "x" },
        threeWithDefault: { type: ["string", "number", "boolean"], default: 1 },
        nullWithDefault: { type: "null", default: "x" },
        constant: { const: 1 },
        constantObject: { const: { a: 1 } },
        constantNull: { const: null },
        tags: { type: "array", items: { type: "string" } },
        objects: { type: "array", items: { type: "object" } },
        list: { type: "array" },
      },
    });
    expect(namesAndHints(doc)).toEqual([
      ["traits", "json"],
      ["traits.constant", "float"],
      ["traits.constantObject", "json"],
      ["traits.list", "none"],
      ["traits.nullWithDefault", "nil"],
      ["traits.nullableWithDefault", "none"],
      ["traits.objects", "json"],
      ["traits.tags", "slice"],
      ["traits.threeWithDefault", "json"],
    ]);
  });

  it("walks the root's other properties too", () => {
    const doc = withTraits({ type: "object", properties: { email: { type: "string" } } }, { extra: { type: "string", title: "Extra" } });
    expect(namesAndHints(doc)).toEqual([
      ["extra", "string"],
      ["traits", "json"],
      ["traits.email", "string"],
    ]);
  });

  it("merges paths of one name as makeUnique: the first with a default, else the last (properties walked after allOf)", () => {
    const doc = withTraits({
      type: "object",
      properties: { a: { type: "string", title: "own" }, b: { type: "string", title: "own" } },
      allOf: [
        { properties: { a: { type: "string", title: "second", default: "x" } } },
        { properties: { a: { type: "string", title: "third", default: "y" }, b: { type: "string", title: "branch" } } },
      ],
    });
    const paths = listing(doc).paths;
    expect(paths.find((p) => p.name === "traits.a")?.title).toBe("second");
    expect(paths.find((p) => p.name === "traits.b")?.title).toBe("own");
  });

  it("reads required from the schema holding the keyword: an allOf branch's own required list", () => {
    const doc = withTraits({
      type: "object",
      properties: { email: { type: "string" } },
      required: ["email"],
      allOf: [{ properties: { nick: { type: "string" } }, required: ["nick"] }],
    });
    const required = Object.fromEntries(listing(doc).paths.map((p) => [p.name, p.required]));
    expect(required).toEqual({ traits: false, "traits.email": true, "traits.nick": true });
  });

  it("fails on a circle reached through allOf, naming the path (ListPaths: detected circular dependency)", () => {
    const doc = {
      ...withTraits({ $ref: "#/definitions/node" }),
      definitions: { node: { type: "object", allOf: [{ properties: { child: { $ref: "#/definitions/node" } } }] } },
    };
    expect(listing(doc).failure).toEqual({ kind: "circular", path: "traits.child" });
  });
});
