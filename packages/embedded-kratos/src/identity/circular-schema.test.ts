import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_STRATEGIES, uniqueEmail, type TestKratos } from "../testing/harness";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";

/**
 * An identity schema that reaches itself again through its properties:
 * ory/x jsonschemax (keys.go listPaths) fails ListPaths with "detected
 * circular dependency in schema path: <path>", which reaches the flows as a
 * plain Go error — ui/container NodesFromJSONSchema (the password and
 * profile strategies' PopulateRegistrationMethod) and
 * login.GetIdentifierLabelFromSchema (the password login's identifier
 * label) — so herodot writes it as a 500 with the text as `message`. The
 * validation (ory/jsonschema) follows the recursion, so identities are still
 * created through the admin API.
 */
describe("circular identity schema (jsonschemax.ListPaths)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos | undefined;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles(
      "ciam_circular_schema",
      [
        {
          id: "circular",
          document: {
            $schema: "http://json-schema.org/draft-07/schema#",
            definitions: {
              person: { type: "object", properties: { name: { type: "string" }, friend: { $ref: "#/definitions/person" } } },
            },
            type: "object",
            properties: {
              traits: {
                type: "object",
                properties: {
                  email: {
                    type: "string",
                    format: "email",
                    title: "E-Mail",
                    "ory.sh/kratos": { credentials: { password: { identifier: true } } },
                  },
                  friend: { $ref: "#/definitions/person" },
                },
                required: ["email"],
              },
            },
          },
        },
      ],
      { strategies: CORE_STRATEGIES },
    );
    ({ kratos } = started);
  });
  afterAll(() => started?.stop());

  const kratosUrls = () => {
    if (!kratos) throw new Error("kratos did not start");
    return kratos;
  };

  it("fails the registration and login forms with ListPaths' error as a plain 500", async () => {
    for (const flow of ["registration", "login"]) {
      const res = await fetch(`${kratosUrls().publicUrl}/self-service/${flow}/api`, { headers: { Accept: "application/json" } });
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: unknown }).error).toEqual({
        code: 500,
        status: "Internal Server Error",
        message: "detected circular dependency in schema path: traits.friend.friend",
      });
    }
  });

  it("still validates and creates identities through the admin API", async () => {
    const res = await fetch(`${kratosUrls().adminUrl}/admin/identities`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        schema_id: "circular",
        traits: { email: uniqueEmail("circular"), friend: { name: "a", friend: { name: "b", friend: { name: "c" } } } },
      }),
    });
    expect(res.status).toBe(201);
  });
});
