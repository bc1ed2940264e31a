import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * Session lists as Kratos v26.2 answers them: GET /admin/sessions
 * (session/handler.go adminListSessions, persister_session.go ListSessions
 * with ory/x keysetpagination ordered by created_at DESC) and
 * GET /admin/identities/{id}/sessions (listIdentitySessions,
 * ListSessionsByIdentity ordered by created_at DESC, migrationpagination).
 */

const DATABASE = "ciam_session_lists";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64").replace(/=+$/, "");
const unb64 = (token: string) => Buffer.from(token, "base64").toString("utf8");

/** Ids chosen so that id order differs from creation order. */
const S = {
  oldest: "ffffffff-0000-4000-8000-000000000001",
  tieA: "aaaaaaaa-0000-4000-8000-000000000002",
  tieB: "bbbbbbbb-0000-4000-8000-000000000003",
  newest: "11111111-0000-4000-8000-000000000004",
  expired: "22222222-0000-4000-8000-000000000005",
  revoked: "33333333-0000-4000-8000-000000000006",
  other: "44444444-0000-4000-8000-000000000007",
  sleeper: "66666666-0000-4000-8000-000000000009",
};

describe("admin session lists: newest first", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let owner = "";
  let stranger = "";

  const get = async (path: string): Promise<{ status: number; link: string; total: string | null; body: unknown }> => {
    const res = await fetch(`${kratos.adminUrl}${path}`);
    return {
      status: res.status,
      link: res.headers.get("link") ?? "",
      total: res.headers.get("x-total-count"),
      body: await res.json(),
    };
  };
  const ids = (body: unknown) => (body as { id: string }[]).map((s) => s.id);
  const linkToken = (link: string, rel: string) => {
    const match = new RegExp(`<([^>]*)>; rel="${rel}"`).exec(link);
    return match ? (new URL(match[1] ?? "", "http://x").searchParams.get("page_token") ?? "") : undefined;
  };

  const insertSession = async (
    id: string,
    identityId: string,
    createdAt: string,
    options: { active?: boolean; expired?: boolean; token?: string } = {},
  ) => {
    await pg.query(
      `INSERT INTO sessions (id, identity_id, token_hash, logout_token_hash, active, authenticated_at, issued_at, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $6::timestamptz, $7::timestamptz, $6::timestamptz)`,
      [
        id,
        identityId,
        options.token ? createHash("sha256").update(options.token).digest() : randomBytes(32),
        randomBytes(32),
        options.active ?? true,
        `${createdAt}Z`,
        options.expired ? "2001-01-01T00:00:00Z" : "2999-01-01T00:00:00Z",
      ],
      DATABASE,
    );
  };

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres(DATABASE));
    const create = async () =>
      (await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: uniqueEmail("lists") } } })).data
        .id;
    owner = await create();
    stranger = await create();
    await insertSession(S.oldest, owner, "2026-01-01 10:00:00.123456");
    await insertSession(S.tieB, owner, "2026-01-02 10:00:00.1");
    await insertSession(S.tieA, owner, "2026-01-02 10:00:00.1");
    await insertSession(S.newest, stranger, "2026-01-03 10:00:00");
    await insertSession(S.expired, owner, "2025-06-01 00:00:00", { expired: true });
    await insertSession(S.revoked, stranger, "2025-05-01 00:00:00", { active: false });
    await pg.query(
      `INSERT INTO session_devices (id, session_id, ip_address, user_agent) VALUES ($1, $2, '192.0.2.1', 'test')`,
      ["55555555-0000-4000-8000-000000000008", S.newest],
      DATABASE,
    );
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("ListSessions orders by created_at DESC, ties by id", async () => {
    const { status, body } = await get("/admin/sessions");
    expect(status).toBe(200);
    expect(ids(body)).toEqual([S.newest, S.tieA, S.tieB, S.oldest, S.expired, S.revoked]);
  });

  it("keysetpagination.Header: first is Session.DefaultPageToken, next is the last item's id and created_at (x.MapPaginationDateFormat)", async () => {
    const first = await get("/admin/sessions?page_size=3");
    expect(ids(first.body)).toEqual([S.newest, S.tieA, S.tieB]);
    expect(linkToken(first.link, "first")).toBe(b64("id=00000000-0000-0000-0000-000000000000/created_at=2200-12-31 23:59:59"));
    expect(first.link).toContain("?page_size=3&page_token=");
    const next = linkToken(first.link, "next") ?? "";
    expect(unb64(next)).toBe(`id=${S.tieB}/created_at=2026-01-02 10:00:00.1`);
    expect(first.total).toBeNull();

    const second = await get(`/admin/sessions?page_size=3&page_token=${encodeURIComponent(next)}`);
    expect(ids(second.body)).toEqual([S.oldest, S.expired, S.revoked]);
    // keysetpagination.Result: the page is the last one when no row beyond it was found, so no next link.
    expect(linkToken(second.link, "next")).toBeUndefined();
    expect(linkToken(second.link, "first")).toBe(linkToken(first.link, "first"));
  });

  it("truncates created_at to five fraction digits in page tokens, as Go's .99999 layout", async () => {
    const { link } = await get("/admin/sessions?page_size=4");
    expect(unb64(linkToken(link, "next") ?? "")).toBe(`id=${S.oldest}/created_at=2026-01-01 10:00:00.12345`);
    const whole = await get("/admin/sessions?page_size=1");
    expect(unb64(linkToken(whole.link, "next") ?? "")).toBe(`id=${S.newest}/created_at=2026-01-03 10:00:00`);
  });

  it("reads MapPageToken fields in either order, and a token without created_at pages by id alone", async () => {
    const reversed = await get(`/admin/sessions?page_token=${b64(`created_at=2026-01-02 10:00:00.1/id=${S.tieA}`)}`);
    expect(ids(reversed.body)).toEqual([S.tieB, S.oldest, S.expired, S.revoked]);
    const idOnly = await get(`/admin/sessions?page_token=${b64(`id=${S.newest}`)}`);
    expect(ids(idOnly.body)).toEqual([S.expired, S.revoked, S.tieA, S.tieB, S.oldest]);
  });

  it("refuses unreadable tokens with adminListSessions' page_size message and bad ids with x.PageTokenInvalid, after the expand check", async () => {
    const unreadable = await get("/admin/sessions?page_token=not%20base64");
    expect(unreadable.status).toBe(400);
    expect(unreadable.body).toMatchObject({ error: { message: "could not parse parameter page_size" } });
    const badId = await get(`/admin/sessions?page_token=${b64("id=nope/created_at=2026-01-01 00:00:00")}`);
    expect(badId.body).toMatchObject({ error: { reason: "The page token is invalid, do not craft your own page tokens" } });
    // Kratos would pass this created_at to the database and answer 500; a crafted time is refused as a crafted id is.
    const badTime = await get(`/admin/sessions?page_token=${b64(`id=${S.tieA}/created_at=2026-02-30 00:00:00`)}`);
    expect(badTime.status).toBe(400);
    expect(badTime.body).toMatchObject({ error: { reason: "The page token is invalid, do not craft your own page tokens" } });
    const expandFirst = await get(`/admin/sessions?expand=nope&page_token=${b64("id=nope")}`);
    expect(expandFirst.body).toMatchObject({ error: { reason: "Could not parse expand option: nope" } });
  });

  it("filters on active as Kratos does (active and not expired, or its negation)", async () => {
    expect(ids((await get("/admin/sessions?active=true")).body)).toEqual([S.newest, S.tieA, S.tieB, S.oldest]);
    expect(ids((await get("/admin/sessions?active=false")).body)).toEqual([S.expired, S.revoked]);
  });

  it("expands identity and devices only when asked (devices null otherwise)", async () => {
    const plain = ((await get("/admin/sessions?page_size=1")).body as Record<string, unknown>[])[0] ?? {};
    // Session.Identity has no omitempty: an unloaded identity is JSON null.
    expect(plain).toHaveProperty("identity", null);
    expect(plain.devices).toBeNull();
    const both = ((await get("/admin/sessions?page_size=1&expand=Identity&expand=devices")).body as Record<string, unknown>[])[0] ?? {};
    expect((both.identity as { id: string }).id).toBe(stranger);
    expect(both.devices).toEqual([expect.objectContaining({ ip_address: "192.0.2.1", user_agent: "test" })]);
  });

  it("GET /admin/sessions/{id} loads only what `expand` asks for (session/handler.go getSession, persister_session.go GetSession)", async () => {
    // GetSession starts from an empty device list and eager-loads devices only for expand=devices; the identity only for expand=identity.
    const plain = await get(`/admin/sessions/${S.newest}`);
    expect(plain.status).toBe(200);
    expect(plain.body).toHaveProperty("identity", null);
    expect(plain.body).toHaveProperty("devices", []);
    const identityOnly = (await get(`/admin/sessions/${S.newest}?expand=IDENTITY`)).body as Record<string, unknown>;
    expect((identityOnly.identity as { id: string }).id).toBe(stranger);
    expect(identityOnly.devices).toEqual([]);
    const both = (await get(`/admin/sessions/${S.newest}?expand=identity&expand=Devices`)).body as Record<string, unknown>;
    expect((both.identity as { id: string }).id).toBe(stranger);
    expect(both.devices).toEqual([expect.objectContaining({ ip_address: "192.0.2.1", user_agent: "test" })]);
    // The UUID is checked first, then every expand value.
    const bad = await get(`/admin/sessions/${S.newest}?expand=devices&expand=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { reason: "Could not parse expand option: nope" } });
    expect((await get("/admin/sessions/nope?expand=nope")).body).toMatchObject({
      error: { message: 'uuid: incorrect UUID length 4 in string "nope"' },
    });
  });

  it("ListSessionsByIdentity orders an identity's sessions by created_at DESC with X-Total-Count", async () => {
    const all = await get(`/admin/identities/${owner}/sessions`);
    expect(ids(all.body)).toEqual([S.tieA, S.tieB, S.oldest, S.expired]);
    expect(all.total).toBe("4");
    const page = await get(`/admin/identities/${owner}/sessions?per_page=2&page=2`);
    expect(ids(page.body)).toEqual([S.oldest, S.expired]);
    expect(page.total).toBe("4");
    const active = await get(`/admin/identities/${owner}/sessions?active=true`);
    expect(ids(active.body)).toEqual([S.tieA, S.tieB, S.oldest]);
    expect(active.total).toBe("3");
    // Everything is expanded for this list.
    expect((all.body as { identity: { id: string } }[])[0]?.identity.id).toBe(owner);
  });

  it("ListSessionsByIdentity pages with pop's Paginate: pages count from 1, page 0 is page 1 too (persister_session.go, pop paginator.go NewPaginator)", async () => {
    const path = `/admin/identities/${owner}/sessions`;
    for (const page of ["0", "1", "-3"]) expect(ids((await get(`${path}?per_page=2&page=${page}`)).body), page).toEqual([S.tieA, S.tieB]);
    // A token's offset is divided by the page size into a page (tokenpagination ParsePagination): offset 2 is page 1, the first.
    const token = (text: string) => Buffer.from(text, "latin1").toString("base64url");
    expect(ids((await get(`${path}?page_size=2&page_token=${token('{"offset":"2","v":2}')}`)).body)).toEqual([S.tieA, S.tieB]);
    expect(ids((await get(`${path}?page_size=2&page_token=${token('{"offset":"4","v":2}')}`)).body)).toEqual([S.oldest, S.expired]);
  });

  it("reads a page token's offset with gjson, which takes text that is not JSON (tokenpagination decode, gjson.go Get)", async () => {
    const path = `/admin/identities/${owner}/sessions?page_size=2&page_token=`;
    const token = (text: string) => Buffer.from(text, "latin1").toString("base64url");
    const second = [S.oldest, S.expired];
    for (const text of [
      '{"offset":"4"}garbage',
      'x{"offset" 4',
      '{"a":{"offset":0},"offset":5.5}',
      '{"off\\u0073et":"\\u0034"}',
      '{"offset":4,\xff',
    ]) {
      const answer = await get(`${path}${token(text)}`);
      expect(answer.status, text).toBe(200);
      expect(ids(answer.body), text).toEqual(second);
    }
    // Offsets past the sessions, and the smallest int64 gjson gives for NaN, are empty pages or the first, never an error.
    expect(ids((await get(`${path}${token('{"offset":99999999999999999999}')}`)).body)).toEqual([]);
    expect(ids((await get(`${path}${token('{"offset":nan}')}`)).body)).toEqual([S.tieA, S.tieB]);
  });

  it("listMySessions (GET /sessions) uses ListSessionsByIdentity too: the other active sessions, newest first, with X-Total-Count", async () => {
    const token = "ory_st_session-lists-current";
    await insertSession(S.other, owner, "2026-01-02 12:00:00", { token });
    const res = await fetch(`${kratos.publicUrl}/sessions?per_page=2`, { headers: { "X-Session-Token": token } });
    expect(res.status).toBe(200);
    expect(ids(await res.json())).toEqual([S.tieA, S.tieB]);
    expect(res.headers.get("x-total-count")).toBe("3");
    expect(res.headers.get("link")).toContain('rel="next"');
  });

  it("writes `active` as Session.IsActive: an inactive identity's session is inactive wherever its identity was loaded (session/session.go MarshalJSON)", async () => {
    const sleeper = (
      await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: uniqueEmail("sleeper") } } })
    ).data.id;
    const token = "ory_st_session-lists-sleeper";
    await insertSession(S.sleeper, sleeper, "2024-01-01 00:00:00", { token });
    // identity/handler.go patch: the state changes, the stored sessions stay as they are.
    const patched = await fetch(`${kratos.adminUrl}/admin/identities/${sleeper}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ op: "replace", path: "/state", value: "inactive" }]),
    });
    expect(patched.status).toBe(200);
    const activeOf = (body: unknown) => (body as { id: string; active: boolean }[]).find((s) => s.id === S.sleeper)?.active;

    // GetSession and ListSessions load the identity only for expand=identity; without it IsActive sees no identity.
    expect((await get(`/admin/sessions/${S.sleeper}`)).body).toMatchObject({ active: true, identity: null });
    expect((await get(`/admin/sessions/${S.sleeper}?expand=identity`)).body).toMatchObject({
      active: false,
      identity: { state: "inactive" },
    });
    expect(activeOf((await get("/admin/sessions?page_size=1000")).body)).toBe(true);
    expect(activeOf((await get("/admin/sessions?page_size=1000&expand=identity")).body)).toBe(false);
    // The `active` filter reads the stored column (persister_session.go), so the session is listed as active=true yet shows false.
    expect(activeOf((await get("/admin/sessions?page_size=1000&active=true&expand=identity")).body)).toBe(false);
    // ListSessionsByIdentity expands everything.
    expect(activeOf((await get(`/admin/identities/${sleeper}/sessions`)).body)).toBe(false);
    expect(activeOf((await get(`/admin/identities/${sleeper}/sessions?active=true`)).body)).toBe(false);
    // whoami refuses the session (manager_http.go FetchFromRequest: !IsActive is ErrNoActiveSessionFound).
    expect((await fetch(`${kratos.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": token } })).status).toBe(401);
  });
});
