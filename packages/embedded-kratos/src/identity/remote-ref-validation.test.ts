import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRONG_PASSWORD, uniqueEmail, type TestKratos } from "../testing/harness";
import { PLATFORM_DEFAULT_SCHEMA, startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";

/**
 * An identity schema whose `$ref` leads to an http document: Kratos
 * fetches it each time it validates (schema/validator.go Validate compiles
 * the schema anew, httploader.Load with the request's client). When the
 * document is gone, the compile fails with herodot.ErrMisconfiguration
 * "Unable to parse validate JSON object against JSON schema.": admin create
 * passes it on (identity/manager.go ValidateIdentity: not a ValidationError,
 * so 500), batch create makes it the item's 400 with that reason
 * (manager.go CreateIdentities), and a registration flow forwards it
 * (selfservice/flow/registration/error.go WriteFlowError: ParseError gives
 * it back, the API flow answers it).
 */
describe("http $ref documents fetched at validation (schema/validator.go Validate)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;
  let served: unknown = { type: "string", minLength: 2 };
  const remote = createServer((_req, res) => {
    if (served === undefined) res.writeHead(404).end("gone");
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(served));
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => remote.listen(0, "127.0.0.1", resolve));
    const address = remote.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const email = { type: "string", format: "email", "ory.sh/kratos": { credentials: { password: { identifier: true } } } };
    const nickname = { $ref: `http://127.0.0.1:${port}/nickname.json` };
    const document = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { traits: { type: "object", properties: { email, nickname }, required: ["email"] } },
    };
    started = await startKratosWithSchemaFiles("ciam_remote_ref", [
      PLATFORM_DEFAULT_SCHEMA,
      { id: "remote", document, selfservice_selectable: true },
    ]);
    kratos = started.kratos;
  });
  afterAll(async () => {
    await started?.stop();
    await new Promise((resolve) => remote.close(resolve));
  });

  const call = async (method: string, url: string, body: unknown) => {
    const res = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
  };
  const create = (traits: unknown) => call("POST", `${kratos.adminUrl}/admin/identities`, { schema_id: "remote", traits });

  it("validates with the document as it is now", async () => {
    served = { type: "string", minLength: 2 };
    expect((await create({ email: uniqueEmail("remote-ref"), nickname: "abc" })).status).toBe(201);
    served = { type: "string", minLength: 5 };
    const refused = await create({ email: uniqueEmail("remote-ref"), nickname: "abc" });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.reason).toContain("length must be >= 5, but got 3");
  });

  it("a document that cannot be fetched is Kratos' misconfiguration error", async () => {
    served = undefined;
    const failed = await create({ email: uniqueEmail("remote-ref"), nickname: "abc" });
    expect(failed.status).toBe(500);
    expect(failed.body.error).toMatchObject({
      code: 500,
      status: "Internal Server Error",
      id: "invalid_configuration",
      message: "Invalid configuration",
      reason: "Unable to parse validate JSON object against JSON schema.",
    });

    const batch = await call("PATCH", `${kratos.adminUrl}/admin/identities`, {
      identities: [{ create: { schema_id: "remote", traits: { email: uniqueEmail("remote-ref"), nickname: "abc" } } }],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.identities).toMatchObject([
      { action: "error", error: { code: 400, reason: "Unable to parse validate JSON object against JSON schema." } },
    ]);

    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow({ identitySchema: "remote" });
    const registration = await call("POST", `${kratos.publicUrl}/self-service/registration?flow=${flow.id}`, {
      method: "password",
      password: STRONG_PASSWORD,
      traits: { email: uniqueEmail("remote-ref"), nickname: "abc" },
    });
    expect(registration.status).toBe(500);
    expect(registration.body.error).toMatchObject({
      id: "invalid_configuration",
      reason: "Unable to parse validate JSON object against JSON schema.",
    });
  });
});
