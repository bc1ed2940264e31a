import { describe, expect, it } from "vitest";
import { traitPathsOf } from "./trait-paths";

/**
 * The trait leaves ory/x jsonschemax.ListPaths (keys.go listPaths) lists for
 * ui/container NodesFromJSONSchema, with `$ref`s to the same document
 * followed as ory/jsonschema compiles them (compiler.go compileMap: beside a
 * `$ref`, every other keyword is ignored).
 */
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

  it("stops below a schema that refers back to itself (Kratos' ListPaths fails the form there instead)", () => {
    const doc = schema(
      { type: "object", properties: { node: { $ref: "#/definitions/node" }, email: { type: "string" } } },
      { node: { type: "object", properties: { label: { type: "string" }, child: { $ref: "#/definitions/node" } } } },
    );
    expect(summary(doc).map((p) => p.name)).toEqual(["traits.node.label", "traits.email"]);
  });

  it("lists a trait whose $ref leads nowhere in this document as one text input, as before", () => {
    const doc = schema({ type: "object", properties: { email: { $ref: "other.schema.json#/email" } } });
    expect(summary(doc).map((p) => [p.name, p.type])).toEqual([["traits.email", "string"]]);
  });
});
