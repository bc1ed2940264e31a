import { createServer } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaCompileError } from "./refetched-schemas";
import { SchemaRegistry } from "./schema-registry";

/**
 * Kratos validates traits with a schema it compiles for that validation
 * (schema/validator.go Validator.Validate: jsonschema.NewCompiler, then
 * Compile, which loads each `$ref` document through ory/jsonschema's
 * httploader.Load with the request's client — x/httploadermiddleware.go).
 * Nothing is cached between validations, and a compile that fails is
 * herodot.ErrMisconfiguration "Unable to parse validate JSON object against
 * JSON schema." (500), which identity/manager.go ValidateIdentity passes on.
 */
describe("http(s) $ref documents at validation (schema/validator.go Validate)", () => {
  let served: unknown = { type: "string", format: "email" };
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (served === undefined) res.writeHead(404).end("gone");
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(served));
  });
  let registry: SchemaRegistry;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const dir = mkdtempSync(join(tmpdir(), "k6-refetch-"));
    const file = join(dir, "identity.schema.json");
    const email = { $ref: `http://127.0.0.1:${port}/email.json` };
    writeFileSync(file, JSON.stringify({ type: "object", properties: { traits: { type: "object", properties: { email } } } }));
    const source = { id: "s", url: `file://${file}`, file, selfserviceSelectable: false };
    registry = await SchemaRegistry.load([source], "s", "http://127.0.0.1/");
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const schema = () => {
    const found = registry.get("s");
    if (!found) throw new Error("schema s not loaded");
    return found;
  };

  it("fetches the document at every validation, so a changed document shows at once", async () => {
    served = { type: "string", format: "email" };
    const before = requests;
    expect(await registry.validationErrorText(schema(), { email: "nope" })).toContain('"nope" is not valid "email"');
    expect(await registry.validationErrorText(schema(), { email: "a@b.co" })).toBeUndefined();
    expect(requests - before).toBe(2);
    served = { type: "string", minLength: 10 };
    expect(await registry.validationErrorText(schema(), { email: "a@b.co" })).toContain("length must be >= 10, but got 6");
    expect(await registry.validateTraits(schema(), { email: "a@b.co" })).toHaveLength(1);
  });

  it("a document that cannot be fetched fails the validation with Kratos' misconfiguration error", async () => {
    served = undefined;
    const failure = registry.validationErrorText(schema(), { email: "a@b.co" });
    await expect(failure).rejects.toBeInstanceOf(SchemaCompileError);
    await expect(failure).rejects.toMatchObject({
      code: 500,
      id: "invalid_configuration",
      message: "Invalid configuration",
      reason: "Unable to parse validate JSON object against JSON schema.",
    });
    await expect(registry.validateTraits(schema(), { email: "a@b.co" })).rejects.toBeInstanceOf(SchemaCompileError);
  });

  it("a fetched document that no longer compiles fails it the same way", async () => {
    served = { type: "string", pattern: "(?<name>x" };
    await expect(registry.validationErrorText(schema(), { email: "x" })).rejects.toMatchObject({ code: 500, id: "invalid_configuration" });
  });
});
