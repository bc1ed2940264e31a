import { describe, expect, it } from "vitest";
import { passwordLoginOrder } from "../ui/sort";
import { schemaKeysInOrder } from "./schema-key-order";

/** The keys Kratos orders UI nodes by: schema/schema.go computeKeyPositions (GetKeysInOrder), then registration/sort.go's PasswordLoginOrder. */
describe("node sort keys from the schema file (schema.go computeKeyPositions)", () => {
  it("walks `type: object` schemas from the root in file order, leaves a $ref as one key and escapes dots", () => {
    const doc = {
      definitions: { name: { type: "object", properties: { first: { type: "string" } } } },
      type: "object",
      properties: {
        traits: {
          type: "object",
          properties: {
            name: { $ref: "#/definitions/name" },
            "e.mail": { type: "string" },
            address: { type: "object", properties: { city: { type: "string" }, zip: {} } },
            tags: { type: "array", items: { type: "string" } },
          },
        },
      },
    };
    expect(schemaKeysInOrder(doc)).toEqual(["traits.name", "traits.e\\.mail", "traits.address.city", "traits.address.zip", "traits.tags"]);
  });

  it("takes a root without `type: object` as one empty key", () => {
    expect(schemaKeysInOrder({ properties: { traits: { type: "object" } } })).toEqual([""]);
  });
});

describe("registration's key update (ui/node/helper.go PasswordLoginOrder)", () => {
  it("puts the password after the schema's first key, whichever trait is the identifier", () => {
    expect(passwordLoginOrder(["traits.name", "traits.email", "traits.nick"])).toEqual([
      "csrf_token",
      "traits.name",
      "password",
      "traits.email",
      "traits.nick",
    ]);
    expect(passwordLoginOrder(["traits.email"])).toEqual(["csrf_token", "traits.email", "password"]);
    expect(passwordLoginOrder([])).toEqual(["csrf_token", "password"]);
  });
});
