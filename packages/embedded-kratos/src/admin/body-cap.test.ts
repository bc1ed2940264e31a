import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * Kratos cmd/daemon/serve.go wraps the admin port in
 * http.MaxBytesHandler(handler, 5*1024*1024): bodies up to 5 MiB are read,
 * and past that each identity/handler.go handler answers the read's
 * `http: request body too large` as it answers any decoding error, after
 * which the server closes the connection (net/http server.go requestTooLarge).
 */
describe("admin bodies past http.MaxBytesHandler's 5 MiB", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_body_cap")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const send = (method: string, path: string, body: string) =>
    fetch(`${kratos.adminUrl}${path}`, { method, headers: { "Content-Type": "application/json" }, body });
  const errorOf = async (res: Response) => ((await res.json()) as { error: Record<string, unknown> }).error;
  const identityJson = (email: string, note: string) =>
    JSON.stringify({ schema_id: "default", traits: { email }, metadata_admin: { note } });
  const overCap = "x".repeat(5 * 1024 * 1024);

  it("create reads a body between 1 MiB and 5 MiB (jsonx.NewStrictDecoder on the capped body)", async () => {
    const res = await send("POST", "/admin/identities", identityJson(uniqueEmail("cap"), "x".repeat(2 * 1024 * 1024)));
    expect(res.status).toBe(201);
  });

  it("create: the strict decoder's read error is herodot.ErrBadRequest.WithError, and the connection closes", async () => {
    const res = await send("POST", "/admin/identities", identityJson(uniqueEmail("cap"), overCap));
    expect(res.status).toBe(400);
    expect(res.headers.get("connection")).toBe("close");
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: 400, status: "Bad Request", message: "http: request body too large" });
    expect(error.reason).toBeUndefined();
  });

  it("a chunked body just past the cap closes the connection too (requestTooLarge sets closeAfterReply)", async () => {
    const body = identityJson(uniqueEmail("cap"), overCap);
    const res = await fetch(`${kratos.adminUrl}/admin/identities`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      }),
      duplex: "half",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("connection")).toBe("close");
  });

  it("update: decoderx decodeJSON's io.ReadAll error is `Unable to read HTTP POST body: …`", async () => {
    const created = await send("POST", "/admin/identities", identityJson(uniqueEmail("cap"), "small"));
    const { id } = (await created.json()) as { id: string };
    const res = await send("PUT", `/admin/identities/${id}`, identityJson(uniqueEmail("cap"), overCap));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).reason).toBe("Unable to read HTTP POST body: http: request body too large");
  });

  it("batchPatchIdentities: WriteErrorCode(400, the read error) keeps herodot's code 500 in the body", async () => {
    const res = await send(
      "PATCH",
      "/admin/identities",
      JSON.stringify({ identities: [{ create: JSON.parse(identityJson("a@example.com", overCap)) as unknown }] }),
    );
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 500, message: "http: request body too large" });
  });

  it("patch: Kratos' io.ReadAll error reaches WriteError raw (a 500); here a 413, as bad input never gets a 5xx", async () => {
    const created = await send("POST", "/admin/identities", identityJson(uniqueEmail("cap"), "small"));
    const { id } = (await created.json()) as { id: string };
    const res = await send(
      "PATCH",
      `/admin/identities/${id}`,
      JSON.stringify([{ op: "replace", path: "/metadata_admin", value: overCap }]),
    );
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toBe("http: request body too large");
  });
});
