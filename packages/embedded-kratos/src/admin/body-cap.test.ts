import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";
import { stalledRequest } from "../testing/stalled-request";

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

  it("create and batch PATCH decode a value that ends within the cap, whatever follows (json.Decoder never reads the rest)", async () => {
    // jsonx.NewStrictDecoder(r.Body).Decode: encoding/json stream.go readValue stops at the value's end.
    const rest = " ".repeat(5 * 1024 * 1024 + 1024);
    const created = await send("POST", "/admin/identities", identityJson(uniqueEmail("cap"), "small") + rest);
    expect(created.status).toBe(201);
    const batch = await send(
      "PATCH",
      "/admin/identities",
      `{"identities":[{"create":${identityJson(uniqueEmail("cap"), "b")}}]}garbage${rest}`,
    );
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as { identities: { action: string }[] }).identities[0]?.action).toBe("create");
  });

  /**
   * One request whose body stalls after `sent` bytes of the `length` it
   * declared: what the server answers once the read deadline has passed.
   */
  async function stalled(url: string, method: string, path: string, sent: string, length: number) {
    const answer = await stalledRequest(
      url,
      method,
      path,
      { Host: "a", "Content-Type": "application/json", "Content-Length": String(length) },
      sent,
    );
    return { ...answer, error: (JSON.parse(answer.body) as { error: Record<string, unknown> }).error };
  }

  it("a body later than ReadTimeout: each handler words the read's `read tcp …: i/o timeout` as it words any read error, at 499", async () => {
    const created = await send("POST", "/admin/identities", identityJson(uniqueEmail("late"), "small"));
    const { id } = (await created.json()) as { id: string };
    // cmd/daemon/serve.go: ReadTimeout 30 s on the admin port, 15 s on the public one; all wait together.
    const [create, batch, update, patch, logout] = await Promise.all([
      stalled(kratos.adminUrl, "POST", "/admin/identities", '{"schema_id":', 100),
      stalled(kratos.adminUrl, "PATCH", "/admin/identities", '{"identities":[', 100),
      stalled(kratos.adminUrl, "PUT", `/admin/identities/${id}`, "{}", 100),
      stalled(kratos.adminUrl, "PATCH", `/admin/identities/${id}`, "[]", 100),
      stalled(kratos.publicUrl, "DELETE", "/self-service/logout/api", "{}", 100),
    ]);
    const readError = (answer: { server: string; client: string }) => `read tcp ${answer.server}->${answer.client}: i/o timeout`;
    for (const answer of [create, batch, update, patch, logout]) {
      // The failed read cancelled the request's context (net/http connReader.handleReadError): herodot's writer
      // answers 499 whatever status the handler asked for (json.go WriteErrorCode).
      expect(answer.status).toBe(499);
      expect(answer.head).toMatch(/\r\nConnection: close$/im);
    }
    // identity/handler.go create: herodot.ErrBadRequest.WithError(err.Error()).
    expect(create.error).toMatchObject({ code: 400, message: readError(create) });
    expect(create.error.reason).toBeUndefined();
    // batchPatchIdentities: WriteErrorCode(400, err), herodot's code 500 in the body.
    expect(batch.error).toMatchObject({ code: 500, message: readError(batch) });
    // update and performNativeLogout: decoderx decodeJSON's io.ReadAll error.
    expect(update.error.reason).toBe(`Unable to read HTTP POST body: ${readError(update)}`);
    expect(logout.error.reason).toBe(`Unable to read HTTP POST body: ${readError(logout)}`);
    // patch: Kratos hands io.ReadAll's error to WriteError raw: herodot's plain-error body.
    expect(patch.error).toEqual({ code: 500, status: "Internal Server Error", message: readError(patch) });
  }, 90_000);
});
