import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * The `{id}` path parameters of Kratos v26.2, parsed by gofrs/uuid v4.4.0
 * FromString (braces, `urn:uuid:`, 32 digits, any case; codec.go Parse):
 * session/handler.go getSession, disableSession, adminSessionExtend,
 * listIdentitySessions, deleteIdentitySessions and deleteMySession answer
 * 400 with the parser's text as `message` (herodot WithError); identity/handler.go
 * reads its `{id}` with x.ParseUUID (FromStringOrNil: anything else is the
 * nil UUID, 404); courier/handler.go getCourierMessage as the sessions.
 */

const DATABASE = "ciam_session_path_ids";
const BAD_REQUEST = { code: 400, status: "Bad Request" };

describe("UUID path parameters as uuid.FromString reads them", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let identityId = "";
  const current = { id: randomUUID(), token: `ory_st_${randomBytes(8).toString("hex")}` };
  const other = randomUUID();

  const errorOf = async (res: Response) => {
    const { error } = (await res.json()) as { error: Record<string, unknown> };
    delete error.request;
    return error;
  };
  const admin = (method: string, path: string) => fetch(`${kratos.adminUrl}${path}`, { method });
  const mine = (method: string, path: string, token?: string) =>
    fetch(`${kratos.publicUrl}${path}`, { method, headers: token ? { "X-Session-Token": token } : {} });
  const braced = (id: string) => `%7B${id}%7D`;
  const hashLike = (id: string) => id.replace(/-/g, "").toUpperCase();
  const activeOf = async (id: string) =>
    (await pg.query<{ active: boolean }>("SELECT active FROM sessions WHERE id = $1", [id], DATABASE)).rows[0]?.active;

  const insertSession = async (id: string, token: string) => {
    await pg.query(
      `INSERT INTO sessions (id, identity_id, token_hash, logout_token_hash, active, authenticated_at, issued_at, expires_at, created_at)
       VALUES ($1, $2, $3, $4, true, now(), now(), '2999-01-01T00:00:00Z', now())`,
      [id, identityId, createHash("sha256").update(token).digest(), randomBytes(32)],
      DATABASE,
    );
  };

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres(DATABASE));
    const { data } = await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "default", traits: { email: uniqueEmail("path-ids") } },
    });
    identityId = data.id;
    await insertSession(current.id, current.token);
    await insertSession(other, `ory_st_${randomBytes(8).toString("hex")}`);
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("admin session routes take every FromString form and answer the canonical id (session/handler.go getSession, adminSessionExtend)", async () => {
    for (const form of [
      braced(current.id.toUpperCase()),
      `urn:uuid:${current.id}`,
      hashLike(current.id),
      `urn:uuid:${hashLike(current.id)}`,
    ]) {
      const res = await admin("GET", `/admin/sessions/${form}`);
      expect(res.status, form).toBe(200);
      expect(((await res.json()) as { id: string }).id, form).toBe(current.id);
    }
    const extended = await admin("PATCH", `/admin/sessions/${braced(hashLike(current.id))}/extend`);
    expect(extended.status).toBe(200);
    expect(((await extended.json()) as { id: string }).id).toBe(current.id);
    const listed = await admin("GET", `/admin/identities/${braced(identityId)}/sessions`);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as unknown[]).length).toBe(2);
  });

  it("refuses the rest with the check of FromString that failed (codec.go Parse)", async () => {
    const cases: [string, string, string][] = [
      ["GET", `/admin/sessions/urn:uuid:${braced(current.id)}`, `uuid: incorrect UUID length 47 in string "urn:uuid:{${current.id}}"`],
      ["GET", `/admin/sessions/${current.id.slice(0, -1)}g`, "uuid: invalid UUID format"],
      ["DELETE", `/admin/sessions/URN:UUID:${current.id}`, 'uuid: incorrect UUID format in string "URN:UUID:"'],
      ["PATCH", `/admin/sessions/(${current.id})/extend`, `uuid: incorrect UUID format in string "(${current.id})"`],
      [
        "GET",
        `/admin/identities/${current.id.replace(/-/g, "_")}/sessions`,
        `uuid: incorrect UUID format in string "${current.id.replace(/-/g, "_")}"`,
      ],
      ["DELETE", "/admin/identities/%C3%A9/sessions", 'uuid: incorrect UUID length 2 in string "é"'],
      ["GET", `/admin/courier/messages/${current.id.slice(0, -1)}z`, "uuid: invalid UUID format"],
    ];
    for (const [method, path, message] of cases)
      expect(await errorOf(await admin(method, path)), path).toEqual({ ...BAD_REQUEST, message });
    // A form FromString accepts reaches the lookup: no such message, 404.
    expect((await admin("GET", `/admin/courier/messages/${braced(randomUUID())}`)).status).toBe(404);
  });

  it("identity routes read `{id}` with x.ParseUUID: any accepted form names the identity, anything else none (identity/handler.go get)", async () => {
    for (const form of [braced(identityId), `urn:uuid:${identityId.toUpperCase()}`, hashLike(identityId)]) {
      const res = await admin("GET", `/admin/identities/${form}`);
      expect(res.status, form).toBe(200);
      expect(((await res.json()) as { id: string }).id).toBe(identityId);
    }
    expect(await errorOf(await admin("GET", `/admin/identities/urn:uuid:${braced(identityId)}`))).toEqual({
      code: 404,
      status: "Not Found",
      message: "Unable to locate the resource",
    });
  });

  it("DELETE /sessions/{id}: the session, then FromString, then the current-session check; RevokeSession answers 204 for any other id (session/handler.go deleteMySession)", async () => {
    expect(await errorOf(await mine("DELETE", `/sessions/${other}`))).toEqual({
      code: 401,
      status: "Unauthorized",
      reason: "No valid session cookie found.",
      message: "The request could not be authorized",
    });
    expect(await errorOf(await mine("DELETE", "/sessions/nope", current.token))).toEqual({
      ...BAD_REQUEST,
      message: 'uuid: incorrect UUID length 4 in string "nope"',
    });
    // Compared as UUIDs: another spelling of the current session is still the current session.
    expect(await errorOf(await mine("DELETE", `/sessions/${braced(hashLike(current.id))}`, current.token))).toEqual({
      ...BAD_REQUEST,
      message: "cannot revoke current session",
    });
    expect(await activeOf(current.id)).toBe(true);
    // Unknown (or already revoked) sessions are no error.
    expect((await mine("DELETE", `/sessions/${randomUUID()}`, current.token)).status).toBe(204);
    expect((await mine("DELETE", `/sessions/urn:uuid:${other.toUpperCase()}`, current.token)).status).toBe(204);
    expect(await activeOf(other)).toBe(false);
    expect((await mine("DELETE", `/sessions/${other}`, current.token)).status).toBe(204);
  });

  it("the other my-sessions routes answer a missing session as deleteMySession does (session/handler.go listMySessions, deleteMySessions)", async () => {
    for (const method of ["GET", "DELETE"]) {
      expect(await errorOf(await mine(method, "/sessions")), method).toEqual({
        code: 401,
        status: "Unauthorized",
        reason: "No valid session cookie found.",
        message: "The request could not be authorized",
      });
    }
  });
});
