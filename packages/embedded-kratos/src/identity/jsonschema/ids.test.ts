import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validationErrorText } from "./validation-error";
import { compileJsonSchema } from "./validator";

/**
 * `$ref`s naming an `$id` declared inside a document: ory/jsonschema
 * compiler.go compileRef looks the resolved URL up in resource.go
 * resolveIDs (every `$id` in the subschema keywords, resolved against the
 * `$id`s above it) before it takes the URL for another document; the target's
 * Schema.URL and Ptr are the URL split at `#`, which the `$ref` message shows.
 */
describe("$refs to $ids declared in the document (compiler.go compileRef, resource.go resolveIDs)", () => {
  const url = "file:///schemas/identity.schema.json";
  const text = (schema: unknown, value: unknown) => {
    const error = compileJsonSchema(schema, url).validate(value);
    return error && validationErrorText(error);
  };

  it("`#name` finds the subschema whose $id is `#name`; the message names it by its fragment", () => {
    const schema = {
      definitions: { name: { $id: "#name", type: "string", minLength: 3 } },
      type: "object",
      properties: { traits: { type: "object", properties: { first: { $ref: "#name" } } } },
    };
    expect(text(schema, { traits: { first: "Alice" } })).toBeUndefined();
    expect(text(schema, { traits: { first: "Al" } })).toBe(
      [
        `I[#/traits/first] S[#/properties/traits/properties/first/$ref] doesn't validate with "#name"`,
        "  I[#/traits/first] S[#name/minLength] length must be >= 3, but got 2",
      ].join("\n"),
    );
  });

  it("an absolute URL an inner $id declares is that subschema, not a document to fetch", () => {
    const schema = {
      definitions: { code: { $id: "https://example.com/code.json", type: "string", maxLength: 2 } },
      properties: { code: { $ref: "https://example.com/code.json" } },
    };
    expect(text(schema, { code: "ab" })).toBeUndefined();
    expect(text(schema, { code: "abc" })).toBe(
      [
        `I[#/code] S[#/properties/code/$ref] doesn't validate with "https://example.com/code.json#"`,
        "  I[#/code] S[#/maxLength] length must be <= 2, but got 3",
      ].join("\n"),
    );
  });

  it("a relative URL resolves against the $id around it and finds the subschema declared under that base", () => {
    const schema = {
      definitions: {
        lib: {
          $id: "https://example.com/lib/",
          definitions: { age: { $id: "age.json", type: "integer", minimum: 18 } },
        },
      },
      properties: {
        person: {
          $id: "https://example.com/lib/person.json",
          properties: { age: { $ref: "age.json" }, nick: { $ref: "#nick" } },
          definitions: { nick: { $id: "#nick", type: "string" } },
        },
      },
    };
    expect(text(schema, { person: { age: 30, nick: "al" } })).toBeUndefined();
    const failure = text(schema, { person: { age: 3 } });
    expect(failure).toContain(`doesn't validate with "https://example.com/lib/age.json#"`);
    expect(failure).toContain("must be >= 18 but found 3");
    // The referring schema's URL is person.json (its parent's $id), the target's too: the message shows the fragment alone.
    expect(text(schema, { person: { nick: 5 } })).toBe(
      [
        `I[#/person/nick] S[#/properties/person/properties/nick/$ref] doesn't validate with "#nick"`,
        "  I[#/person/nick] S[#nick/type] expected string, but got number",
      ].join("\n"),
    );
  });

  it("`#name` in another document finds the $id declared there", () => {
    const dir = mkdtempSync(join(tmpdir(), "k6-ids-"));
    writeFileSync(join(dir, "defs.json"), JSON.stringify({ definitions: { first: { $id: "#first", type: "string", minLength: 3 } } }));
    const schema = { properties: { first: { $ref: "defs.json#first" } } };
    const error = compileJsonSchema(schema, `file://${join(dir, "identity.schema.json")}`).validate({ first: "Al" });
    expect(error && validationErrorText(error)).toBe(
      [
        `I[#/first] S[#/properties/first/$ref] doesn't validate with "file://${dir}/defs.json#first"`,
        "  I[#/first] S[#first/minLength] length must be >= 3, but got 2",
      ].join("\n"),
    );
  });

  it("a fragment no $id declares stays an invalid ref", () => {
    expect(() => compileJsonSchema({ $ref: "#nowhere" }, url)).toThrow(`invalid ref: "${url}#nowhere"`);
  });
});
