import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../../../testing/harness";

const DATABASE = "ciam_error_routes";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** GET /self-service/errors (selfservice/errorx/handler.go publicFetchError). */
describe("the self-service error store's public route", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres(DATABASE));
  }, 120_000);
  afterAll(async () => stopKratosAndPostgres(kratos, pg));

  const fetchError = (query: string) => fetch(`${kratos.publicUrl}/self-service/errors?${query}`);
  const storeError = async (text: string): Promise<string> => {
    const id = randomUUID();
    await pg.query("INSERT INTO selfservice_errors (id, error) VALUES ($1, $2::jsonb)", [id, text], DATABASE);
    return id;
  };

  // herodot json.go: WriteErrorCode sets `application/json`, WriteCode `application/json; charset=utf-8`.
  it("answers a missing container with sqlcon.ErrNoRows, written by WriteError (no charset)", async () => {
    const res = await fetchError(`id=${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.text()).toBe('{"error":{"code":404,"status":"Not Found","message":"Unable to locate the resource"}}\n');
  });

  it("answers the stub error as Kratos' stub500 container, written by Write (with charset)", async () => {
    const res = await fetchError("id=stub:500");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await res.json()) as { id: string };
    expect(body.id).toMatch(UUID);
    expect(body).toEqual({
      id: body.id,
      error: {
        code: 500,
        status: "Internal Server Error",
        reason: "This is a stub error.",
        message: "An internal server error occurred, please contact the system administrator",
      },
      created_at: "0001-01-01T00:00:00Z",
      updated_at: "0001-01-01T00:00:00Z",
    });
  });

  // errorx/error.go ErrorContainer.Errors is a json.RawMessage: the column's jsonb text, compacted.
  it("answers the stored error as jsonb keeps it: its key order and its numbers' text", async () => {
    const id = await storeError(
      '{"message": "m", "details": {"b": 1.50, "10": 1e2, "aa": -0, "a": 12345678901234567890}, "status": "Internal Server Error", "code": 500}',
    );
    const text = await (await fetchError(`id=${id}`)).text();
    expect(text).toContain(
      `{"id":"${id}","error":{"code":500,"status":"Internal Server Error","details":{"a":12345678901234567890,"b":1.50,"10":100,"aa":0},"message":"m"},"created_at":`,
    );
  });

  it("reads the id from `error` first, as cmp.Or(error, id) does", async () => {
    const id = await storeError('{"code": 400, "status": "Bad Request", "message": "from error"}');
    const both = (await (await fetchError(`error=${id}&id=${randomUUID()}`)).json()) as { id: string };
    expect(both.id).toBe(id);
    const emptyError = await fetchError(`error=&id=${id}`);
    expect(emptyError.status).toBe(200);
  });

  // errorx/handler.go fetchError reads the container at x.ParseUUID(id): gofrs' FromStringOrNil, whose other
  // spellings name the same container and whose refusals are the nil UUID — a 404, never Postgres' cast failing.
  it("reads the id as x.ParseUUID does: other spellings find the container, malformed ones are not found", async () => {
    const id = await storeError('{"code": 400, "status": "Bad Request", "message": "spelled"}');
    const hex = id.replaceAll("-", "");
    for (const spelling of [`{${id}}`, `{${hex}}`, `urn:uuid:${id}`, hex, id.toUpperCase()]) {
      const res = await fetchError(`id=${encodeURIComponent(spelling)}`);
      expect(res.status, spelling).toBe(200);
      expect(((await res.json()) as { id: string }).id).toBe(id);
    }
    const dashed = `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 24)}-${hex.slice(24)}`;
    for (const malformed of ["-".repeat(36), "0".repeat(36), dashed, ` ${id}`, "x".repeat(40)]) {
      const res = await fetchError(`id=${encodeURIComponent(malformed)}`);
      expect(res.status, malformed).toBe(404);
      expect(await res.text()).toBe('{"error":{"code":404,"status":"Not Found","message":"Unable to locate the resource"}}\n');
    }
  });
});
