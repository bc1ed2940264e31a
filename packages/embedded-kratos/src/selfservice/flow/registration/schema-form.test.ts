import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_STRATEGIES, type TestKratos } from "../../../testing/harness";
import { PASSWORD_EMAIL_TRAIT, traitsSchema } from "../../../testing/identity-schema-documents";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../../../testing/identity-schema-files";

/**
 * The sign-up form Kratos v26.2.0 builds from an identity schema whose
 * traits sit behind `$ref`s and whose password identifier is not the first
 * trait: ui/container/container.go NodesFromJSONSchema lists the traits with
 * ory/x jsonschemax.ListPaths (refs followed, paths by name, `required` from
 * the schema holding each one), then registration/sort.go SortNodes orders
 * them by schema/schema.go GetKeysInOrder (the file's keys, a `$ref` one
 * key) updated by ui/node/helper.go PasswordLoginOrder (the password after
 * the first key), ties kept in ListPaths' order (ui/node/node.go SortBySchema).
 */
const schema = {
  $id: "https://example.com/refs.schema.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  definitions: {
    name: {
      type: "object",
      properties: { last: { type: "string", title: "Last name" }, first: { type: "string" } },
      required: ["first"],
    },
    email: { type: "string", format: "email", "ory.sh/kratos": { credentials: { password: { identifier: true } } } },
  },
  type: "object",
  properties: {
    traits: {
      type: "object",
      properties: {
        name: { $ref: "#/definitions/name" },
        email: { $ref: "#/definitions/email" },
        website: { type: "string", format: "uri" },
      },
      required: ["email", "website"],
    },
  },
};

/** No `$ref`: the password identifier is the second trait. */
const identifierSecond = traitsSchema({ nick: { type: "string" }, email: PASSWORD_EMAIL_TRAIT });

/**
 * jsonschemax.ListPaths beyond `properties` (keys.go listPaths): the
 * properties of an `allOf` branch, and those beside `traits`, are inputs;
 * a trait of two types (`["string", "null"]`) is none.
 */
const combinators = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    traits: {
      type: "object",
      properties: { email: PASSWORD_EMAIL_TRAIT, nickname: { type: ["string", "null"] } },
      allOf: [{ properties: { newsletter: { type: "boolean", title: "Newsletter" } } }],
    },
    consent: { type: "boolean" },
  },
};

interface Node {
  group: string;
  attributes: Record<string, unknown>;
  meta: { label?: { id: number; text: string } };
}

describe("registration form from a schema with $ref traits (NodesFromJSONSchema, registration SortNodes)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles(
      "ciam_schema_form",
      [
        { id: "refs", document: schema },
        { id: "second", document: identifierSecond, selfservice_selectable: true },
        { id: "combinators", document: combinators, selfservice_selectable: true },
      ],
      { strategies: CORE_STRATEGIES },
    );
    kratos = started.kratos;
  });
  afterAll(() => started?.stop());

  const nodes = async (query = "") => {
    const res = await fetch(`${kratos.publicUrl}/self-service/registration/api${query}`, { headers: { Accept: "application/json" } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { ui: { nodes: Node[] } }).ui.nodes;
  };

  it("follows the $refs: an object's leaves, the target's format, required only where the holding schema requires", async () => {
    const traits = (await nodes()).filter((n) => String(n.attributes.name).startsWith("traits."));
    expect(traits.map((n) => [n.attributes.name, n.attributes.type, n.attributes.required ?? false, n.attributes.autocomplete])).toEqual([
      ["traits.name.first", "text", true, undefined],
      ["traits.name.last", "text", false, undefined],
      // Required in `traits`, but ListPaths reads `required` from the schema holding the $ref, which has none.
      ["traits.email", "email", false, "email"],
      ["traits.website", "url", true, "url"],
    ]);
    expect(traits[1]?.meta.label?.text).toBe("Last name");
  });

  it("puts the password after the schema's first key, not after the identifier trait", async () => {
    expect((await nodes("?identity_schema=second")).map((n) => n.attributes.name)).toEqual([
      "csrf_token",
      "traits.nick",
      "password",
      "traits.email",
      "method",
    ]);
  });

  it("orders the leaves behind a $ref at that trait's one key, by name (GetKeysInOrder does not follow the $ref)", async () => {
    expect((await nodes()).map((n) => n.attributes.name)).toEqual([
      "csrf_token",
      "traits.name.first",
      "traits.name.last",
      "password",
      "traits.email",
      "traits.website",
      "method",
    ]);
  });

  it("lists an allOf branch's properties and the root's other properties, and no input for a trait of two types", async () => {
    const form = await nodes("?identity_schema=combinators");
    expect(form.map((n) => [n.attributes.name, n.attributes.type])).toEqual([
      ["csrf_token", "hidden"],
      ["traits.email", "email"],
      ["password", "password"],
      // GetKeysInOrder: `consent` is the schema's key after traits' own; the allOf property has none, so it comes last.
      ["consent", "checkbox"],
      ["traits.newsletter", "checkbox"],
      ["method", "submit"],
    ]);
    expect(form.find((n) => n.attributes.name === "traits.newsletter")?.meta.label?.text).toBe("Newsletter");
  });
});
