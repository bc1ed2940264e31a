import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestKratos } from "../testing/harness";
import { PASSWORD_EMAIL_TRAIT, traitsSchema } from "../testing/identity-schema-documents";
import { PLATFORM_DEFAULT_SCHEMA, startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";
import { SchemaCompileError, SchemaLoadError } from "./refetched-schemas";
import { SchemaRegistry } from "./schema-registry";

/**
 * Kratos reads the identity schema file, and the `file://` documents its
 * `$ref`s lead to, at every validation: schema/validator.go Validate calls
 * jsonschema.LoadURL(href) (ory/jsonschema fileloader.Load: os.Open, no
 * cache) and compiles with a new compiler, which loads each `$ref` document
 * again. A file that cannot be read or parsed is herodot.ErrMisconfiguration
 * "Unable to load or parse the JSON schema."; a `$ref` document that cannot
 * be loaded fails the compile: "Unable to parse validate JSON object against
 * JSON schema.".
 */
describe("identity schema files read at each validation (schema/validator.go Validate)", () => {
  let dir = "";
  let schemaFile = "";
  let nameFile = "";
  let registry: SchemaRegistry;

  const schemaWith = (emailExtra: Record<string, unknown>) =>
    JSON.stringify(traitsSchema({ email: { ...PASSWORD_EMAIL_TRAIT, ...emailExtra }, name: { $ref: "name.json" } }));
  const schema = () => {
    const found = registry.get("s");
    if (!found) throw new Error("schema s not loaded");
    return found;
  };
  const check = (traits: unknown) => registry.validationErrorText(schema(), traits);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kratos-schema-files-"));
    schemaFile = path.join(dir, "identity.schema.json");
    nameFile = path.join(dir, "name.json");
    await writeFile(schemaFile, schemaWith({}));
    await writeFile(nameFile, JSON.stringify({ type: "string", minLength: 2 }));
    registry = await SchemaRegistry.load(
      [{ id: "s", url: `file://${schemaFile}`, file: schemaFile, selfserviceSelectable: false }],
      "s",
      "http://127.0.0.1/",
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("validates with the schema file as it is now, and the entry `get` answers follows it", async () => {
    expect(await check({ email: "a@b.co", name: "ab" })).toBeUndefined();
    await writeFile(schemaFile, schemaWith({ maxLength: 5 }));
    expect(await check({ email: "a@b.co", name: "ab" })).toContain("length must be <= 5, but got 6");
    // The extension keys and forms read the same document afterwards.
    expect(schema().paths.map((p) => p.name)).toEqual(["traits.email", "traits.name"]);
    expect(
      (schema().document.properties as { traits: { properties: { email: { maxLength?: number } } } }).traits.properties.email.maxLength,
    ).toBe(5);
    await writeFile(schemaFile, schemaWith({}));
    expect(await check({ email: "a@b.co", name: "ab" })).toBeUndefined();
  });

  it("reads the `file://` documents of its `$ref`s again (fileloader.Load in the compile)", async () => {
    await writeFile(nameFile, JSON.stringify({ type: "string", minLength: 3 }));
    expect(await check({ email: "a@b.co", name: "ab" })).toContain("length must be >= 3, but got 2");
    expect(await registry.validateTraits(schema(), { email: "a@b.co", name: "ab" })).toHaveLength(1);
    await writeFile(nameFile, JSON.stringify({ type: "string", minLength: 2 }));
    expect(await check({ email: "a@b.co", name: "ab" })).toBeUndefined();
  });

  it("a missing `$ref` document fails the compile with Kratos' misconfiguration error", async () => {
    await unlink(nameFile);
    const failure = await check({ email: "a@b.co", name: "ab" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SchemaCompileError);
    expect(failure).toMatchObject({ code: 500, reason: "Unable to parse validate JSON object against JSON schema." });
    await writeFile(nameFile, JSON.stringify({ type: "string", minLength: 2 }));
    expect(await check({ email: "a@b.co", name: "ab" })).toBeUndefined();
  });

  it("a schema file that is gone or no JSON fails LoadURL: 'Unable to load or parse the JSON schema.'", async () => {
    await unlink(schemaFile);
    const gone = await check({ email: "a@b.co" }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(SchemaLoadError);
    expect(gone).toMatchObject({ code: 500, reason: "Unable to load or parse the JSON schema." });
    await writeFile(schemaFile, "{ not json");
    expect(await check({ email: "a@b.co" }).catch((e: unknown) => e)).toBeInstanceOf(SchemaLoadError);
    await writeFile(schemaFile, schemaWith({}));
    expect(await check({ email: "a@b.co", name: "ab" })).toBeUndefined();
  });

  it("documentText reads the file as it is now (schema/handler.go ReadSchema)", async () => {
    await writeFile(schemaFile, `{"b": 1.50, "a": {}}`);
    expect(await registry.documentText(schema())).toBe(`{"b": 1.50, "a": {}}`);
    await writeFile(schemaFile, schemaWith({}));
  });
});

/**
 * schema/handler.go getIdentitySchema and getAll read the file at each
 * request (ReadSchema: os.ReadFile) and answer its bytes as a
 * json.RawMessage: compacted, with the file's key order and number text.
 */
describe("/schemas read the schema files at each request (schema/handler.go ReadSchema)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;
  let file = "";
  const text = (note: string) =>
    `{\n  "$schema": "http://json-schema.org/draft-07/schema#",\n  "x-note": "${note}", "x-number": 1.50,\n  "type": "object",\n  "properties": { "traits": { "type": "object", "properties": { "email": { "type": "string", "format": "email", "ory.sh/kratos": { "credentials": { "password": { "identifier": true } } } } } } }\n}`;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles("ciam_schema_files", [PLATFORM_DEFAULT_SCHEMA, { id: "live", text: text("first") }]);
    ({ kratos } = started);
    file = started.files.live ?? "";
  });
  afterAll(() => started?.stop());

  const compact = (note: string) => text(note).replace(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/g, "");

  it("answers the file's text as it is now, compacted", async () => {
    const first = await fetch(`${kratos.publicUrl}/schemas/live`);
    expect(first.status).toBe(200);
    // herodot's writer ends the answer with Encode's "\n" (herodot json.go WriteCode).
    expect(await first.text()).toBe(`${compact("first")}\n`);
    await writeFile(file, text("second"));
    expect(await (await fetch(`${kratos.adminUrl}/admin/schemas/live`)).text()).toBe(`${compact("second")}\n`);
    const list = await (await fetch(`${kratos.publicUrl}/schemas`)).text();
    expect(list).toContain(`{"id":"live","schema":${compact("second")}}`);
  });

  it("a file that is gone is herodot.ErrMisconfiguration (getIdentitySchema: fs.ErrNotExist; getAll: any failure)", async () => {
    await unlink(file);
    const one = await fetch(`${kratos.publicUrl}/schemas/live`);
    expect(one.status).toBe(500);
    expect(((await one.json()) as { error: unknown }).error).toMatchObject({
      id: "invalid_configuration",
      reason: "The file for this JSON Schema ID could not be found/fetched. This is a configuration issue.",
    });
    const all = await fetch(`${kratos.publicUrl}/schemas`);
    expect(all.status).toBe(500);
    expect(((await all.json()) as { error: unknown }).error).toMatchObject({
      id: "invalid_configuration",
      reason: "The file for a JSON Schema ID could not be found or opened. This is a configuration issue.",
    });
    await writeFile(file, text("back"));
    expect((await fetch(`${kratos.publicUrl}/schemas/live`)).status).toBe(200);
  });
});
