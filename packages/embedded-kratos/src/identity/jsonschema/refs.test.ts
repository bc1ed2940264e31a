import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validationErrorText } from "./validation-error";
import { compileJsonSchema } from "./validator";

/**
 * `$ref`s to other documents: ory/jsonschema compiler.go compileRef
 * (resolveURL against the document's URL and `$id`s, then Compile of the
 * other document) and the loaders Kratos' schema/loader.go links in —
 * fileloader.Load (the path after `file://`), base64loader.Load
 * (std-encoded JSON) and httploader.Load.
 */
describe("$refs outside the schema document (compiler.go compileRef, schema/loader.go loaders)", () => {
  const dir = mkdtempSync(join(tmpdir(), "k2-refs-"));
  mkdirSync(join(dir, "defs"));
  writeFileSync(join(dir, "defs", "name.json"), JSON.stringify({ definitions: { first: { type: "string", minLength: 3 } } }));
  const url = `file://${join(dir, "identity.schema.json")}`;
  const schema = (traits: unknown) => compileJsonSchema({ type: "object", properties: { traits } }, url);
  const text = (traits: unknown, value: unknown) => {
    const error = schema(traits).validate({ traits: value });
    return error && validationErrorText(error);
  };

  it("file: a relative ref resolves against the schema's file:// URL; the message names the other document", () => {
    const traits = { type: "object", properties: { first: { $ref: "defs/name.json#/definitions/first" } } };
    expect(text(traits, { first: "Alice" })).toBeUndefined();
    expect(text(traits, { first: "Al" })).toBe(
      [
        `I[#/traits/first] S[#/properties/traits/properties/first/$ref] doesn't validate with "file://${dir}/defs/name.json#/definitions/first"`,
        "  I[#/traits/first] S[#/definitions/first/minLength] length must be >= 3, but got 2",
      ].join("\n"),
    );
  });

  it("base64: the document is the std-encoded JSON after base64://", () => {
    const encoded = Buffer.from(JSON.stringify({ type: "string", maxLength: 2 })).toString("base64");
    const traits = { type: "object", properties: { code: { $ref: `base64://${encoded}` } } };
    expect(text(traits, { code: "ab" })).toBeUndefined();
    expect(text(traits, { code: "abc" })).toContain("length must be <= 2, but got 3");
  });

  it("clear errors: a missing file, bad base64, a scheme without a loader, a fragment that is not a pointer", () => {
    expect(() => schema({ $ref: "defs/missing.json" })).toThrow(/missing\.json/);
    expect(() => schema({ $ref: "base64://not*base64" })).toThrow(/unable to decode std encoded base64 string/);
    expect(() => schema({ $ref: "ftp://example.com/x.json" })).toThrow(/no Loader registered for scheme ftp/);
    expect(() => schema({ $ref: "#anchor" })).toThrow(/invalid ref/);
  });
});

/** httploader.Load: GET through Kratos' resilient client (registry_default.go HTTPClient); an answer other than 200 fails. */
describe("http(s) $refs (httploader.Load)", () => {
  const serve = async (routes: Record<string, unknown>) => {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      const body = routes[req.url ?? ""];
      if (body === undefined) res.writeHead(404).end("not here");
      else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
  };

  it("fetches the documents $refs lead to, also from a fetched document, before compiling", async () => {
    const { compileJsonSchemaFetchingRefs } = await import("./remote-refs");
    const remote = await serve({
      "/name.json": { definitions: { first: { $ref: "more.json#/definitions/text" } } },
      "/more.json": { definitions: { text: { type: "string", minLength: 3 } } },
    });
    try {
      const schema = await compileJsonSchemaFetchingRefs(
        {
          type: "object",
          properties: { traits: { type: "object", properties: { first: { $ref: `${remote.base}/name.json#/definitions/first` } } } },
        },
        "file:///schemas/identity.schema.json",
      );
      expect(schema.validate({ traits: { first: "Alice" } })).toBeUndefined();
      const error = schema.validate({ traits: { first: "Al" } });
      expect(error && validationErrorText(error)).toContain("length must be >= 3, but got 2");
    } finally {
      await remote.close();
    }
  });

  it("an answer other than 200 is a clear error naming the URL and status", async () => {
    const { compileJsonSchemaFetchingRefs } = await import("./remote-refs");
    const remote = await serve({});
    try {
      await expect(compileJsonSchemaFetchingRefs({ $ref: `${remote.base}/missing.json` }, "file:///s.json")).rejects.toThrow(
        `${remote.base}/missing.json returned status code 404`,
      );
    } finally {
      await remote.close();
    }
  });

  it("SchemaRegistry.load fetches them at start-up; a document that cannot be fetched stops it with a ConfigError", async () => {
    const { SchemaRegistry } = await import("../schema-registry");
    const remote = await serve({ "/email.json": { type: "string", format: "email" } });
    const dir = mkdtempSync(join(tmpdir(), "k2-load-"));
    const write = (name: string, ref: string) => {
      const file = join(dir, name);
      writeFileSync(
        file,
        JSON.stringify({ type: "object", properties: { traits: { type: "object", properties: { email: { $ref: ref } } } } }),
      );
      return { id: name, url: `file://${file}`, file, selfserviceSelectable: false };
    };
    try {
      const good = write("good.json", `${remote.base}/email.json`);
      const registry = await SchemaRegistry.load([good], good.id, "http://127.0.0.1/");
      const schema = registry.get(good.id);
      expect(schema && (await registry.validationErrorText(schema, { email: "nope" }))).toContain('"nope" is not valid "email"');
      // config.go validateIdentitySchemas: with clients.http.disallow_private_ip_ranges the loader's client refuses
      // private targets (ResilientClientDisallowInternalIPs, no exception URLs).
      await expect(SchemaRegistry.load([good], good.id, "http://127.0.0.1/", { disallowPrivateIpRanges: true })).rejects.toThrow(
        /is not a permitted destination|prohibited|not allowed|internal/i,
      );
      const bad = write("bad.json", `${remote.base}/gone.json`);
      await expect(SchemaRegistry.load([bad], bad.id, "http://127.0.0.1/")).rejects.toThrow(/gone\.json returned status code 404/);
    } finally {
      await remote.close();
    }
  });

  it("the synchronous compile names the http(s) document it would need", () => {
    expect(() => compileJsonSchema({ $ref: "https://example.com/x.json" })).toThrow(/https:\/\/example\.com\/x\.json/);
  });
});
