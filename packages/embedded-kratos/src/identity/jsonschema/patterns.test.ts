import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SchemaRegistry } from "../schema-registry";
import { validationErrorText } from "./validation-error";
import { compileJsonSchema } from "./validator";

/**
 * ory/jsonschema compiler.go compileMap compiles `pattern` and
 * `patternProperties` with Go's regexp (RE2), and schema.go validate runs
 * them with MatchString; Kratos' driver/config/config.go validateIdentitySchemas
 * checks each identity schema against draft-07's meta-schema, whose `regex`
 * format is formats.go isRegex, so a pattern Go cannot compile stops start-up.
 */
describe("patterns run as Go's regexp (compiler.go compileMap, schema.go validate)", () => {
  const traits = (def: unknown) => compileJsonSchema({ type: "object", properties: { traits: def } });

  it("pattern: RE2 syntax (flags, POSIX classes) works", () => {
    const schema = traits({ type: "string", pattern: "^(?i)[[:alpha:]]+$" });
    expect(schema.validate({ traits: "AbC" })).toBeUndefined();
    const error = schema.validate({ traits: "ab1" });
    expect(error && validationErrorText(error)).toBe(
      'I[#/traits] S[#/properties/traits/pattern] does not match pattern "^(?i)[[:alpha:]]+$"',
    );
  });

  it("pattern: `.` and classes work on code points, as Go works on runes", () => {
    expect(traits({ type: "string", pattern: "^.$" }).validate({ traits: "😀" })).toBeUndefined();
  });

  it("patternProperties: RE2 syntax selects the properties", () => {
    const schema = traits({ type: "object", patternProperties: { "^(?P<k>x)\\z": { type: "string" } } });
    expect(schema.validate({ traits: { x: 1 } })).toBeDefined();
    expect(schema.validate({ traits: { xy: 1 } })).toBeUndefined();
  });

  it("a pattern Go cannot compile (lookahead, backreference) is refused when the schema compiles", () => {
    expect(() => traits({ type: "string", pattern: "^(?=a)" })).toThrow(/invalid or unsupported Perl syntax/);
    expect(() => traits({ type: "object", patternProperties: { "(a)\\1": {} } })).toThrow(/invalid escape sequence/);
  });
});

describe("identity schema loading (driver/config/config.go validateIdentitySchemas)", () => {
  const load = (traitsDef: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), "k2-schema-"));
    const file = join(dir, "s.json");
    writeFileSync(
      file,
      JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: { traits: traitsDef } }),
    );
    return new SchemaRegistry([{ id: "s", url: `file://${file}`, file, selfserviceSelectable: false }], "s", "http://127.0.0.1/");
  };

  it("loads a schema whose patterns only RE2 understands", () => {
    expect(() => load({ type: "object", properties: { a: { type: "string", pattern: "(?i)^[[:alpha:]]+\\z" } } })).not.toThrow();
  });

  it("refuses a schema whose pattern only JavaScript understands", () => {
    expect(() => load({ type: "object", properties: { a: { type: "string", pattern: "^(?!admin)" } } })).toThrow(/not a valid JSON schema/);
  });
});
