import { unlink, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_STRATEGIES, STRONG_PASSWORD, uniqueEmail, type TestKratos } from "../testing/harness";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";

/**
 * Kratos lists the identity schema's paths at each use its flows make of it,
 * with a new ory/jsonschema compiler that loads the file again
 * (jsonschemax.ListPaths, no cache):
 * - forms: ui/container/container.go NodesFromJSONSchema (password and
 *   profile strategies' PopulateRegistrationMethod);
 * - the login identifier's label: selfservice/flow/login/
 *   extension_identifier_label.go GetIdentifierLabelFromSchema;
 * - body decoding: oryx/decoderx/http.go decodeJSONForm and decodeForm
 *   (ListPathsWithRecursion before the body is read).
 * A file changed on disk shows in the next form, before any validation; a
 * file that cannot be read fails the use: the loader's error passed on (a
 * plain Go error: 500 with its text as message), or, in the decoder,
 * "Unable to prepare JSON Schema for HTTP Post Body Form parsing: <error>".
 */
describe("identity schema read at each use (NodesFromJSONSchema, GetIdentifierLabelFromSchema, decoderx)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos | undefined;
  let file = "";
  let otherFile = "";

  const schemaText = (traits: Record<string, unknown>) =>
    JSON.stringify({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { traits: { type: "object", properties: traits } },
    });
  const email = (title = "E-Mail") => ({
    type: "string",
    format: "email",
    title,
    "ory.sh/kratos": { credentials: { password: { identifier: true } } },
  });

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles(
      "ciam_schema_per_use",
      [
        { id: "live", text: schemaText({ email: email() }) },
        { id: "other", text: schemaText({ email: email() }), selfservice_selectable: true },
      ],
      { strategies: CORE_STRATEGIES },
    );
    ({ kratos } = started);
    file = started.files.live ?? "";
    otherFile = started.files.other ?? "";
  });
  afterAll(() => started?.stop());

  const publicUrl = () => {
    if (!kratos) throw new Error("kratos did not start");
    return kratos.publicUrl;
  };
  interface Answer {
    status: number;
    body: { id?: string; ui?: { nodes: { attributes: { name?: string }; meta: { label?: { text: string } } }[] }; error?: unknown };
  }
  const get = async (url: string): Promise<Answer> => {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    return { status: res.status, body: (await res.json()) as Answer["body"] };
  };
  const names = (answer: Answer) => (answer.body.ui?.nodes ?? []).map((n) => n.attributes.name);
  const restore = () => writeFile(file, schemaText({ email: email() }));

  it("builds the registration form from the file as it is now, before any validation reads it", async () => {
    expect(names(await get(`${publicUrl()}/self-service/registration/api`))).not.toContain("traits.nickname");
    await writeFile(file, schemaText({ email: email(), nickname: { type: "string", title: "Nickname" } }));
    const after = await get(`${publicUrl()}/self-service/registration/api`);
    expect(after.status).toBe(200);
    expect(names(after)).toContain("traits.nickname");
    await restore();
    expect(names(await get(`${publicUrl()}/self-service/registration/api`))).not.toContain("traits.nickname");
  });

  it("labels the login identifier from the file as it is now", async () => {
    const label = (answer: Answer) => answer.body.ui?.nodes.find((n) => n.attributes.name === "identifier")?.meta.label?.text;
    expect(label(await get(`${publicUrl()}/self-service/login/api`))).toBe("E-Mail");
    await writeFile(file, schemaText({ email: email("Work e-mail") }));
    expect(label(await get(`${publicUrl()}/self-service/login/api`))).toBe("Work e-mail");
    await restore();
  });

  it("a file that is gone fails the form with the loader's error (os.Open's *PathError, 500 as herodot writes a plain error)", async () => {
    await unlink(file);
    for (const flow of ["registration", "login"]) {
      const answer = await get(`${publicUrl()}/self-service/${flow}/api`);
      expect(answer.status).toBe(500);
      expect(answer.body.error).toEqual({ code: 500, status: "Internal Server Error", message: `open ${file}: no such file or directory` });
    }
    await restore();
    expect((await get(`${publicUrl()}/self-service/registration/api`)).status).toBe(200);
  });

  it("a file that is no JSON fails it with newResource's text", async () => {
    await writeFile(file, "{ not json");
    const answer = await get(`${publicUrl()}/self-service/registration/api`);
    expect(answer.status).toBe(500);
    expect(answer.body.error).toMatchObject({
      message: `parsing "file://${file}" failed. Reason: invalid character 'n' looking for beginning of object key string`,
    });
    await restore();
  });

  it("a submission decodes with the file as it is now: decoderx's error when it cannot be read", async () => {
    const flow = await get(`${publicUrl()}/self-service/registration/api`);
    await unlink(file);
    const res = await fetch(`${publicUrl()}/self-service/registration?flow=${flow.body.id ?? ""}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", password: STRONG_PASSWORD, traits: { email: uniqueEmail("per-use") } }),
    });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: 500,
      message: "An internal server error occurred, please contact the system administrator",
      reason: `Unable to prepare JSON Schema for HTTP Post Body Form parsing: open ${file}: no such file or directory`,
    });
    await restore();
  });

  it("orders the nodes by the keys of the schema's first read (schema/schema.go GetKeysInOrder keeps them per URL)", async () => {
    const traitNames = (answer: Answer) => names(answer).filter((name) => name?.startsWith("traits."));
    const other = `${publicUrl()}/self-service/registration/api?identity_schema=other`;
    const text = { type: "string" };
    await writeFile(otherFile, schemaText({ email: email(), a: text, b: text }));
    expect(traitNames(await get(other))).toEqual(["traits.email", "traits.a", "traits.b"]);
    await writeFile(otherFile, schemaText({ email: email(), c: text, b: text, a: text }));
    // The new trait is there (the paths are read again); the order is the first read's, unknown keys last.
    expect(traitNames(await get(other))).toEqual(["traits.email", "traits.a", "traits.b", "traits.c"]);
  });

  it("a schema the request does not use does not fail it", async () => {
    await unlink(otherFile);
    try {
      expect((await get(`${publicUrl()}/self-service/registration/api`)).status).toBe(200);
      const other = await get(`${publicUrl()}/self-service/registration/api?identity_schema=other`);
      expect(other.status).toBe(500);
      expect(other.body.error).toMatchObject({ message: `open ${otherFile}: no such file or directory` });
    } finally {
      await writeFile(otherFile, schemaText({ email: email() }));
    }
  });
});
