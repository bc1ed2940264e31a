import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildTraits, formValue, traitFields } from "./schema-form";

const customerSchema: unknown = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../../../platform/dev/ciam-kratos/identity.customer.schema.json"), "utf8"),
);

describe("traitFields", () => {
  it("generates a field per editable trait of the CIAM customer schema, nested objects flattened", () => {
    const fields = traitFields(customerSchema);
    const byName = Object.fromEntries(fields.map((f) => [f.path.join("."), f]));
    expect(byName.email).toMatchObject({ kind: "email", required: true, label: "Email" });
    expect(byName["name.first"]?.label).toBe("Name: First name");
    expect(Object.keys(byName)).toContain("address.country");
  });

  it("turns enums into selects and booleans into checkboxes", () => {
    const fields = traitFields({
      properties: {
        traits: {
          type: "object",
          properties: {
            tier: { type: "string", enum: ["gold", "silver"] },
            news: { type: "boolean" },
            tags: { type: "array", items: { type: "string" } },
          },
        },
      },
    });
    expect(fields.map((f) => [f.path.join("."), f.kind, f.options])).toEqual([
      ["tier", "select", ["gold", "silver"]],
      ["news", "boolean", undefined],
      ["tags", "list", undefined],
    ]);
  });
});

describe("buildTraits / formValue", () => {
  const fields = traitFields({
    properties: {
      traits: {
        type: "object",
        properties: {
          email: { type: "string", format: "email" },
          name: { type: "object", properties: { first: { type: "string" }, last: { type: "string" } } },
          age: { type: "integer" },
          news: { type: "boolean" },
          tags: { type: "array", items: { type: "string" } },
        },
      },
    },
  });

  it("types each value per the schema and drops empty optional ones", () => {
    const traits = buildTraits(fields, {
      email: " a@example.com ",
      "name.first": "Ada",
      "name.last": "",
      age: "36",
      news: "true",
      tags: "x, y ,",
    });
    expect(traits).toEqual({ email: "a@example.com", name: { first: "Ada" }, age: 36, news: true, tags: ["x", "y"] });
  });

  it("keeps traits the form does not know and removes emptied objects", () => {
    expect(buildTraits(fields, { email: "a@example.com", "name.first": "" }, { custom: 1, name: { first: "old" } })).toEqual({
      custom: 1,
      email: "a@example.com",
      news: false,
    });
  });

  it("shows stored values back in the form", () => {
    const traits = { email: "a@example.com", name: { first: "Ada" }, age: 36, news: true, tags: ["x", "y"] };
    expect(fields.map((f) => formValue(f, traits))).toEqual(["a@example.com", "Ada", "", "36", "true", "x, y"]);
  });
});
