import { describe, expect, it } from "vitest";
import { compileJsonSchema } from "./jsonschema/validator";
import { listTraitPaths as listCompiled, MAX_SCHEMA_VISITS, traitPathsFailureText } from "./trait-paths";

/**
 * The trait leaves ory/x jsonschemax.ListPaths (keys.go listPaths) lists for
 * ui/container NodesFromJSONSchema, walking the schema ory/jsonschema
 * compiles (compiler.go compileRef, compileMap: beside a `$ref`, every other
 * keyword is ignored).
 */
const listTraitPaths = (document: Record<string, unknown>) => listCompiled(compileJsonSchema(document).root);
const traitPathsOf = (document: Record<string, unknown>) => listTraitPaths(document).paths;
const identifier = { credentials: { password: { identifier: true } } };
const schema = (traits: Record<string, unknown>, definitions: Record<string, unknown> = {}) => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  definitions,
  type: "object",
  properties: { traits },
});
const summary = (document: Record<string, unknown>) =>
  traitPathsOf(document).map(({ name, type, format, pattern, title, required, extension }) => ({
    name,
    type,
    format,
    pattern,
    title,
    required,
    extension,
  }));

describe("trait paths behind a $ref (jsonschemax.ListPaths)", () => {
  it("takes a leaf's type, format, pattern, title and extension from its #/definitions target; required comes from the $ref holder, so it is false", () => {
    const doc = schema(
      {
        type: "object",
        properties: { email: { $ref: "#/definitions/email", title: "ignored" }, nick: { type: "string" } },
        required: ["email", "nick"],
      },
      { email: { type: "string", format: "email", pattern: ".+@.+", title: "E-Mail", "ory.sh/kratos": identifier } },
    );
    expect(summary(doc)).toEqual([
      { name: "traits.email", type: "string", format: "email", pattern: ".+@.+", title: "E-Mail", required: false, extension: identifier },
      { name: "traits.nick", type: "string", format: undefined, pattern: undefined, title: undefined, required: true, extension: {} },
    ]);
  });

  it("lists the leaves of an object behind a $ref, required from that object, and follows refs chained and nested inside it", () => {
    const doc = schema(
      { type: "object", properties: { name: { $ref: "#/definitions/name" } } },
      {
        name: { $ref: "#/definitions/fullName" },
        fullName: {
          type: "object",
          properties: { first: { $ref: "#/definitions/word" }, last: { type: "string" }, age: { type: "integer" } },
          required: ["first", "last"],
        },
        word: { type: "string", minLength: 1 },
      },
    );
    expect(summary(doc).map((p) => [p.name, p.type, p.required])).toEqual([
      ["traits.name.first", "string", false],
      ["traits.name.last", "string", true],
      ["traits.name.age", "integer", false],
    ]);
  });

  it("follows traits itself behind a $ref, JSON pointer escapes included", () => {
    const doc = schema(
      { $ref: "#/definitions/the~1traits" },
      { "the/traits": { type: "object", properties: { email: { type: "string" } } } },
    );
    expect(summary(doc).map((p) => p.name)).toEqual(["traits.email"]);
  });

  it("a schema that reaches itself again is circular: ListPaths' failure names the path there, and the paths recurse as ListPathsWithRecursion's (depth 5)", () => {
    const doc = schema(
      { type: "object", properties: { node: { $ref: "#/definitions/node" }, email: { type: "string" } } },
      { node: { type: "object", properties: { label: { type: "string" }, child: { $ref: "#/definitions/node" } } } },
    );
    const listing = listTraitPaths(doc);
    // keys.go listPaths: the `child` holder and its target each count one circular schema; the 7th stops the branch.
    expect(listing.paths.map((p) => p.name)).toEqual([
      "traits.node.label",
      "traits.node.child.label",
      "traits.node.child.child.label",
      "traits.node.child.child.child.label",
      "traits.email",
    ]);
    expect(listing.failure).toEqual({ kind: "circular", path: "traits.node.child" });
    expect(traitPathsFailureText({ kind: "circular", path: "traits.node.child" })).toBe(
      "detected circular dependency in schema path: traits.node.child",
    );
  });

  it("traits reached through #/properties/traits is a schema of its own (compileRef compiles each $ref text once): the circle closes one level deeper", () => {
    const doc = schema({ type: "object", properties: { email: { type: "string" }, friend: { $ref: "#/properties/traits" } } });
    expect(listTraitPaths(doc).failure).toEqual({ kind: "circular", path: "traits.friend.friend" });
    // `#`, `#/` and `""` are all the root, which is on the way down from the start.
    const viaRoot = schema({ type: "object", properties: { again: { $ref: "#/" } } });
    expect(listTraitPaths(viaRoot).failure).toEqual({ kind: "circular", path: "traits.again" });
  });

  it("a schema used twice side by side is no circle", () => {
    const doc = schema(
      { type: "object", properties: { home: { $ref: "#/definitions/address" }, work: { $ref: "#/definitions/address" } } },
      { address: { type: "object", properties: { city: { type: "string" } } } },
    );
    expect(listTraitPaths(doc)).toEqual({ paths: traitPathsOf(doc), failure: undefined });
    expect(traitPathsOf(doc).map((p) => p.name)).toEqual(["traits.home.city", "traits.work.city"]);
  });

  it(`stops an exponential $ref expansion after ${MAX_SCHEMA_VISITS} schemas and reports it (Kratos expands every ref)`, () => {
    const definitions: Record<string, unknown> = { d30: { type: "string" } };
    for (let i = 0; i < 30; i++) {
      const next = { $ref: `#/definitions/d${i + 1}` };
      definitions[`d${i}`] = { type: "object", properties: { a: next, b: next } };
    }
    const listing = listTraitPaths(schema({ $ref: "#/definitions/d0" }, definitions));
    expect(listing.failure).toEqual({ kind: "expansion" });
    expect(listing.paths.length).toBeLessThan(MAX_SCHEMA_VISITS);
    expect(traitPathsFailureText({ kind: "expansion" })).toContain(`more than ${MAX_SCHEMA_VISITS} schemas`);
  });

  it("reads a pointer as resource.go resolvePtr: `~1`/`~0` before the URL escapes", () => {
    const doc = schema(
      { type: "object", properties: { a: { $ref: "#/definitions/x%7E1y" } } },
      { "x~1y": { type: "string", title: "literal" }, "x/y": { type: "string", title: "slash" } },
    );
    expect(summary(doc).map((p) => p.title)).toEqual(["literal"]);
  });

  it("follows a $ref to another document and to an $id the document declares, as compileRef resolves them", () => {
    const mail = { type: "string", format: "email", title: "Mail", "ory.sh/kratos": identifier };
    const other = `base64://${Buffer.from(JSON.stringify(mail)).toString("base64")}`;
    const doc = schema(
      { type: "object", properties: { email: { $ref: other }, phone: { $ref: "#phone" } } },
      { phone: { $id: "#phone", type: "string", format: "tel", title: "Phone" } },
    );
    expect(summary(doc).map((p) => [p.name, p.format, p.title, p.extension])).toEqual([
      ["traits.email", "email", "Mail", identifier],
      ["traits.phone", "tel", "Phone", {}],
    ]);
  });
});
