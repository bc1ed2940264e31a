import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { type IdentitySchemaSource, loadKratosConfig } from "../config/load";
import { startEmbeddedKratos } from "../index";
import { CIAM_CONFIG, IAM_CONFIG } from "../testing/harness";
import { IdentityMetaSchemaError } from "./meta-schema";
import { SchemaRegistry } from "./schema-registry";

/**
 * Kratos' start-up check of identity schemas: driver/config/config.go
 * validateIdentitySchemas validates every configured schema document
 * against embedx/identity_meta.schema.json (draft-07's meta-schema, at least
 * one trait, `ory.sh/kratos` blocks per embedx/identity_extension.schema.json,
 * a `verification` trait's `format` from a fixed list). The first failure
 * makes config.New return the ory/jsonschema ValidationError, after
 * formatJsonErrors printed jsonschemax.FormatValidationErrorForCLI's report
 * to stderr: `kratos serve` does not start.
 */
const dir = mkdtempSync(path.join(tmpdir(), "k1-identity-meta-"));
let files = 0;

function sourceFor(schema: unknown): IdentitySchemaSource {
  const file = path.join(dir, `schema-${files++}.json`);
  writeFileSync(file, JSON.stringify(schema, null, 2));
  return { id: "default", url: `file://${file}`, file, selfserviceSelectable: false };
}

const withTraits = (properties: Record<string, unknown>) => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: { traits: { type: "object", properties } },
});

async function refusal(schema: unknown): Promise<IdentityMetaSchemaError> {
  const error: unknown = await SchemaRegistry.load([sourceFor(schema)], "default", "http://127.0.0.1/").then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IdentityMetaSchemaError)) throw new Error(`expected start-up to be refused, got ${String(error)}`);
  return error;
}

const HEADING = "The configuration contains values or keys which are invalid:";
const TRAIT_PATTERN = "#/allOf/1/properties/properties/properties/traits/properties/properties/patternProperties/.%2A";

describe("identity schemas at start-up (driver/config/config.go validateIdentitySchemas)", () => {
  it("refuses a code identifier whose via is neither email nor sms (identity_extension.schema.json credentials.code.via)", async () => {
    const error = await refusal(
      withTraits({ phone: { type: "string", "ory.sh/kratos": { credentials: { code: { identifier: true, via: "phone" } } } } }),
    );
    expect(error.reason).toBe(
      [
        "I[#] S[#/allOf/1] allOf failed",
        `  I[#/properties/traits/properties/phone] S[${TRAIT_PATTERN}/allOf/0] allOf failed`,
        `    I[#/properties/traits/properties/phone] S[${TRAIT_PATTERN}/allOf/0/$ref] doesn't validate with "ory://identity-extension#"`,
        "      I[#/properties/traits/properties/phone] S[#/allOf/0] allOf failed",
        '        I[#/properties/traits/properties/phone/ory.sh~1kratos/credentials/code/via] S[#/allOf/0/properties/ory.sh~1kratos/properties/credentials/properties/code/properties/via/enum] value must be one of "email", "sms"',
      ].join("\n"),
    );
    const value = "map[ory.sh/kratos:map[credentials:map[code:map[identifier:true via:phone]]] type:string]";
    const at = (pointer: string, shown: string, message: string) =>
      `${HEADING}\n${pointer}: ${shown}\n${" ".repeat(pointer.length + 2)}^-- ${message}\n\n`;
    expect(error.report).toBe(
      "\n" +
        `${HEADING}\n` +
        at("properties.traits.properties.phone", value, "allOf failed") +
        at("properties.traits.properties.phone", value, `doesn't validate with "ory://identity-extension#"`) +
        at("properties.traits.properties.phone", value, "allOf failed") +
        at("properties.traits.properties.phone.ory\\.sh/kratos.credentials.code.via", "phone", 'value must be one of "email", "sms"'),
    );
    expect(error.message).toContain(error.report + error.reason);
  });

  it("refuses an unknown key in an ory.sh/kratos block, also in a nested trait (additionalProperties: false)", async () => {
    const error = await refusal(
      withTraits({
        name: { type: "object", properties: { first: { type: "string", "ory.sh/kratos": { credentails: { password: {} } } } } },
      }),
    );
    expect(error.reason.split("\n").at(-1)).toBe(
      '                I[#/properties/traits/properties/name/properties/first/ory.sh~1kratos] S[#/allOf/0/properties/ory.sh~1kratos/additionalProperties] additionalProperties "credentails" not allowed',
    );
    expect(error.report).toContain(
      "properties.traits.properties.name.properties.first.ory\\.sh/kratos: map[credentails:map[password:map[]]]\n" +
        `${" ".repeat(67)}^-- additionalProperties "credentails" not allowed\n`,
    );
  });

  it("refuses a recovery via outside email/sms and a credentials type Kratos does not know", async () => {
    const recovery = await refusal(withTraits({ email: { type: "string", "ory.sh/kratos": { recovery: { via: "pigeon" } } } }));
    expect(recovery.reason).toContain(
      'I[#/properties/traits/properties/email/ory.sh~1kratos/recovery/via] S[#/allOf/0/properties/ory.sh~1kratos/properties/recovery/properties/via/enum] value must be one of "email", "sms"',
    );
    const credential = await refusal(
      withTraits({ email: { type: "string", "ory.sh/kratos": { credentials: { password: { identifier: "yes" } } } } }),
    );
    expect(credential.reason).toContain(
      "S[#/allOf/0/properties/ory.sh~1kratos/properties/credentials/properties/password/properties/identifier/type] expected boolean, but got string",
    );
  });

  it("refuses a verification trait whose format is not email, tel, date, time, date-time or no-validate (identity_meta.schema.json if/then)", async () => {
    const error = await refusal(
      withTraits({ website: { type: "string", format: "uri", "ory.sh/kratos": { verification: { via: "email" } } } }),
    );
    expect(error.reason).toBe(
      [
        "I[#] S[#/allOf/1] allOf failed",
        `  I[#/properties/traits/properties/website] S[${TRAIT_PATTERN}/then] if-then failed`,
        `    I[#/properties/traits/properties/website/format] S[${TRAIT_PATTERN}/then/properties/format/enum] value must be one of "email", "tel", "date", "time", "date-time", "no-validate"`,
      ].join("\n"),
    );
    expect(error.report).toContain(
      `properties.traits.properties.website.format: uri\n${" ".repeat(45)}^-- value must be one of "email", "tel", "date", "time", "date-time", "no-validate"\n`,
    );
  });

  it("refuses a schema without traits or with none declared (Kratos' own test: minimum 1 properties allowed)", async () => {
    const none = await refusal({ type: "object", properties: { traits: { type: "object", properties: {} } } });
    expect(none.reason).toBe(
      [
        "I[#] S[#/allOf/1] allOf failed",
        "  I[#/properties/traits/properties] S[#/allOf/1/properties/properties/properties/traits/properties/properties/minProperties] minimum 1 properties allowed, but found 0 properties",
      ].join("\n"),
    );
    const missing = await refusal({ type: "object", properties: { name: { type: "string" } } });
    expect(missing.reason).toBe(
      ["I[#] S[#/allOf/1] allOf failed", '  I[#/properties] S[#/allOf/1/properties/properties/required] missing properties: "traits"'].join(
        "\n",
      ),
    );
    // FormatError points a `required` failure at the first missing property, whose value gjson does not find.
    expect(missing.report).toBe(
      `\n${HEADING}\n${HEADING}\nproperties.traits: <nil>\n${" ".repeat(19)}^-- one or more required properties are missing\n\n`,
    );
  });

  it("refuses a trait that is not an object and what draft-07's meta-schema refuses, with its $ref chain", async () => {
    const boolean = await refusal(withTraits({ anything: true }));
    expect(boolean.reason).toContain(
      `I[#/properties/traits/properties/anything] S[${TRAIT_PATTERN}/type] expected object, but got boolean`,
    );
    const draft07 = await refusal(withTraits({ code: { type: "string", minLength: 1.5 } }));
    expect(draft07.reason).toBe(
      [
        "I[#] S[#/allOf/0] allOf failed",
        '  I[#] S[#/allOf/0/$ref] doesn\'t validate with "http://json-schema.org/draft-07/schema#"',
        '    I[#/properties/traits] S[#/properties/properties/additionalProperties/$ref] doesn\'t validate with "#"',
        '      I[#/properties/traits/properties/code] S[#/properties/properties/additionalProperties/$ref] doesn\'t validate with "#"',
        '        I[#/properties/traits/properties/code/minLength] S[#/properties/minLength/$ref] doesn\'t validate with "#/definitions/nonNegativeIntegerDefault0"',
        "          I[#/properties/traits/properties/code/minLength] S[#/definitions/nonNegativeIntegerDefault0/allOf/0] allOf failed",
        '            I[#/properties/traits/properties/code/minLength] S[#/definitions/nonNegativeIntegerDefault0/allOf/0/$ref] doesn\'t validate with "#/definitions/nonNegativeInteger"',
        "              I[#/properties/traits/properties/code/minLength] S[#/definitions/nonNegativeInteger/type] expected integer, but got number",
      ].join("\n"),
    );
    expect(draft07.report).toContain(
      `properties.traits.properties.code.minLength: 1.5\n${" ".repeat(45)}^-- expected integer, but got number\n`,
    );
  });

  it("reads no more than 1 MiB of a schema (io.LimitReader): a longer one stops start-up", async () => {
    const long = withTraits({ email: { type: "string", description: "x".repeat(1024 * 1024) } });
    await expect(SchemaRegistry.load([sourceFor(long)], "default", "http://127.0.0.1/")).rejects.toThrow(
      /cannot be loaded: unexpected EOF$/,
    );
  });

  it("stops at the first schema that fails, in the configured order", async () => {
    const good = sourceFor(withTraits({ email: { type: "string", "ory.sh/kratos": { verification: { via: "email" } } } }));
    const bad = { ...sourceFor(withTraits({ email: { type: "string", "ory.sh/kratos": { verification: { via: "fax" } } } })), id: "bad" };
    const error = await SchemaRegistry.load([good, bad], "default", "http://127.0.0.1/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityMetaSchemaError);
    expect((error as Error).message).toContain(`identity schema "bad" (${bad.url})`);
  });

  it("keeps `kratos serve` from starting, before it touches the database", async () => {
    const bad = sourceFor(withTraits({ email: { type: "string", "ory.sh/kratos": { verification: { via: "fax" } } } }));
    const started = startEmbeddedKratos({
      configPath: CIAM_CONFIG,
      // Nothing listens there: a connection attempt would fail differently.
      dsn: "postgres://nobody@127.0.0.1:1/nothing",
      publicPort: 0,
      adminPort: 0,
      watchConfig: false,
      configOverrides: { identity: { default_schema_id: "default", schemas: [{ id: "default", url: bad.url }] } },
      log: () => {},
    });
    await expect(started).rejects.toBeInstanceOf(IdentityMetaSchemaError);
    await expect(started).rejects.toThrow('value must be one of "email", "sms"');
  });

  it("accepts every identity schema of the platform configs (prod mounts dev's schema files: platform/prod/compose.yml)", async () => {
    for (const [config, prod] of [
      [CIAM_CONFIG, "../../../../platform/prod/ciam-kratos/kratos.yml"],
      [IAM_CONFIG, "../../../../platform/prod/iam-kratos/kratos.yml"],
    ] as const) {
      const { identity } = loadKratosConfig(config, { warn: () => {} });
      const registry = await SchemaRegistry.load(identity.schemas, identity.default_schema_id, "http://127.0.0.1/");
      expect(registry.list().map((s) => s.id)).toEqual(identity.schemas.map((s) => s.id));
      const prodConfig: unknown = parseYaml(readFileSync(path.resolve(import.meta.dirname, prod), "utf8"));
      expect(prodConfig).toMatchObject({ identity: { schemas: identity.schemas.map(({ id, url }) => ({ id, url })) } });
    }
  });
});
