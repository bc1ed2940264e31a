import { createHash, randomBytes } from "node:crypto";
import { secretboxOpen, secretboxSeal } from "@olympus/server-kit/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../testing/harness";
import { goBase64UrlDecode, paginationKeys, parsePageToken } from "./page-token";

/**
 * The courier list's page tokens as Kratos v26.2 makes them: courier/handler.go
 * listCourierMessages with ory/x keysetpagination_v2 (page_token.go
 * PageToken.Encrypt/MarshalJSON/UnmarshalJSON, request_params.go
 * ParseQueryParams/ParsePageToken/SetLinkHeader, paginator.go
 * validatePageToken), sealed by ssoready/hyrumtoken Marshal/Unmarshal
 * (nacl/secretbox: its vectors are @olympus/server-kit/crypto's), keys from
 * config.go SecretsPagination.
 */

const DATABASE = "ciam_courier_page_tokens";
const SECRET = "courier-pagination-secret-0001";
const KEY = createHash("sha512-256").update(SECRET).digest();
const ZERO_KEY = Buffer.alloc(32);

/** hyrumtoken.Marshal of a JSON text. */
const seal = (json: unknown, key: Buffer) => {
  const nonce = randomBytes(24);
  return Buffer.concat([nonce, secretboxSeal(Buffer.from(JSON.stringify(json)), nonce, key)]).toString("base64");
};
const toUrlBase64 = (b64: string) => b64.replace(/\+/g, "-").replace(/\//g, "_");
const sealUrl = (json: unknown, key: Buffer) => toUrlBase64(seal(json, key));
const open = (token: string, key: Buffer) => {
  const bytes = Buffer.from(token, "base64url");
  const plain = secretboxOpen(bytes.subarray(24), bytes.subarray(0, 24), key);
  return plain ? (JSON.parse(plain.toString("utf8")) as { e: string; c: unknown[] }) : undefined;
};
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe("hyrumtoken's encoding (encoding/base64 URLEncoding)", () => {
  it("decodes base64 as Go's URLEncoding.DecodeString, with its CorruptInputError offsets", () => {
    const offset = (text: string) => {
      const result = goBase64UrlDecode(Buffer.from(text));
      return "corruptAt" in result ? result.corruptAt : result.bytes.toString("hex");
    };
    expect(offset("QUJD")).toBe("414243");
    expect(offset("QUI=")).toBe("4142");
    expect(offset("QQ==\n")).toBe("41");
    expect(offset("!!!!")).toBe(0);
    expect(offset("QUJD!")).toBe(4);
    expect(offset("QQ")).toBe(0);
    expect(offset("QUJDQQ")).toBe(4);
    expect(offset("QQ=")).toBe(3);
    expect(offset("QQ=A")).toBe(2);
    expect(offset("QUJD=")).toBe(4);
    expect(offset("QQ==QQ==")).toBe(4);
    expect(offset("QUJD+/==")).toBe(4);
  });

  it("opens with every configured key, then the fallback key (ParsePageToken), and refuses expired tokens", () => {
    const columns = { e: inAnHour(), c: [{ n: "id", vu: "00000000-0000-0000-0000-000000000001" }] };
    const [fresh, old] = paginationKeys(["a-new-secret-0000000", "an-old-secret-000000"]);
    expect(fresh && old).toBeTruthy();
    const byOld = Buffer.from(seal(columns, old ?? ZERO_KEY), "base64");
    expect(parsePageToken(Buffer.from(toUrlBase64(byOld.toString("base64"))), [fresh ?? ZERO_KEY, old ?? ZERO_KEY]).kind).toBe("ok");
    expect(parsePageToken(Buffer.from(toUrlBase64(byOld.toString("base64"))), [fresh ?? ZERO_KEY]).kind).toBe("decrypt");
    const byZero = Buffer.from(sealUrl(columns, ZERO_KEY));
    expect(parsePageToken(byZero, [fresh ?? ZERO_KEY]).kind).toBe("ok");
    // A box shorter than a nonce: Kratos' hyrumtoken slices past the end and panics; here it does not open.
    expect(parsePageToken(Buffer.from("QUJD"), []).kind).toBe("decrypt");
  });
});

describe("GET /admin/courier/messages page tokens (courier/handler.go listCourierMessages)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  const M = {
    oldest: "ffffffff-0000-4000-8000-000000000001",
    tieB: "bbbbbbbb-0000-4000-8000-000000000002",
    tieA: "aaaaaaaa-0000-4000-8000-000000000003",
    newest: "11111111-0000-4000-8000-000000000004",
  };

  const list = async (query: string) => {
    const res = await fetch(`${kratos.adminUrl}/admin/courier/messages${query}`);
    return { status: res.status, link: res.headers.get("link") ?? "", body: await res.json() };
  };
  const ids = (body: unknown) => (body as { id: string }[]).map((m) => m.id);
  const tokenOf = (link: string, rel: string) => {
    const match = new RegExp(`<([^>]*)>; rel="${rel}"`).exec(link);
    return match ? (new URL(match[1] ?? "", "http://x").searchParams.get("page_token") ?? "") : undefined;
  };
  const error = (body: unknown) => {
    const { error: e } = body as { error: Record<string, unknown> };
    delete e.request;
    return e;
  };

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres(DATABASE, {
      configOverrides: { secrets: { cookie: ["ciam-dev-cookie-secret-NOT-FOR-PRODUCTION"], pagination: [SECRET] } },
    }));
    const insert = (id: string, recipient: string, createdAt: string) =>
      pg.query(
        `INSERT INTO courier_messages (id, type, status, recipient, subject, body, template_type, template_data, created_at, updated_at)
         VALUES ($1, 'email', 'sent', $2, 's', 'b', 'recovery_code_valid', '{}', $3::timestamptz, $3::timestamptz)`,
        [id, recipient, createdAt],
        DATABASE,
      );
    await insert(M.oldest, "one@example.com", "2026-01-01T10:00:00Z");
    await insert(M.tieB, "two@example.com", "2026-01-02T10:00:00.123450Z");
    await insert(M.tieA, "one@example.com", "2026-01-02T10:00:00.123450Z");
    await insert(M.newest, "one@example.com", "2026-01-03T10:00:00Z");
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("pages newest first (ties by id ascending) with sealed first/next tokens in a Go-encoded Link header", async () => {
    const first = await list("?page_size=2");
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual([M.newest, M.tieA]);
    expect(first.link).toMatch(
      /^<\/admin\/courier\/messages\?page_size=2&page_token=[A-Za-z0-9_-]+(%3D)*>; rel="first",<\/admin\/courier\/messages\?page_size=2&page_token=[A-Za-z0-9_-]+(%3D)*>; rel="next"$/,
    );
    const firstToken = open(tokenOf(first.link, "first") ?? "", KEY);
    expect(firstToken?.c).toEqual([
      { n: "created_at", o: 1, vt: "2200-12-31T23:59:59Z" },
      { n: "id", vu: "00000000-0000-0000-0000-000000000000" },
    ]);
    const next = tokenOf(first.link, "next") ?? "";
    const nextToken = open(next, KEY);
    expect(nextToken?.c).toEqual([
      { n: "created_at", o: 1, vt: "2026-01-02T10:00:00.12345Z" },
      { n: "id", vu: M.tieA },
    ]);
    // `e`: an hour from now, in Go's RFC 3339 with a trimmed fraction.
    expect(Math.abs(Date.parse(nextToken?.e ?? "") - Date.now() - 3_600_000)).toBeLessThan(60_000);
    expect(nextToken?.e).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d*[1-9])?Z$/);
    // Not readable without the server's key, and fresh each time (random nonce).
    expect(open(next, ZERO_KEY)).toBeUndefined();
    expect(tokenOf((await list("?page_size=2")).link, "next")).not.toBe(next);

    const second = await list(`?page_size=2&page_token=${encodeURIComponent(next)}`);
    expect(ids(second.body)).toEqual([M.tieB, M.oldest]);
    expect(tokenOf(second.link, "next")).toBeUndefined();
  });

  it("keeps the request's other parameters in the links, sorted as Go's url.Values.Encode", async () => {
    const { link, body } = await list("?recipient=one%40example.com&page_size=1&extra=x");
    expect(ids(body)).toEqual([M.newest]);
    expect(link).toMatch(/^<\/admin\/courier\/messages\?extra=x&page_size=1&page_token=[^&>]+&recipient=one%40example.com>; rel="first",/);
    const second = await list(`?recipient=one%40example.com&page_size=1&page_token=${encodeURIComponent(tokenOf(link, "next") ?? "")}`);
    expect(ids(second.body)).toEqual([M.tieA]);
  });

  it("answers bad tokens with hyrumtoken's and keysetpagination_v2's errors", async () => {
    const plain = (message: string) => ({ code: 500, status: "Internal Server Error", message });
    const cases: [string, number, Record<string, unknown>][] = [
      ["!!!!", 400, plain("decode token: illegal base64 data at input byte 0")],
      ["%zz", 400, plain('invalid URL escape "%zz"')],
      [toUrlBase64(randomBytes(60).toString("base64")), 400, plain("decrypt token: %!w(<nil>)")],
      // Sealed with the configured key but expired: that key fails, and so does the fallback key.
      [sealUrl({ e: "2020-01-01T00:00:00Z", c: [] }, KEY), 400, plain("decrypt token: %!w(<nil>)")],
      [
        sealUrl({ e: "2020-01-01T00:00:00Z", c: [] }, ZERO_KEY),
        400,
        {
          code: 400,
          status: "Bad Request",
          reason: "page token expired, do not persist page tokens",
          message: "unmarshal token data: The request was malformed or contained invalid parameters",
        },
      ],
      [
        sealUrl({ e: inAnHour(), c: [{ n: "id", vu: M.tieA }] }, KEY),
        400,
        {
          code: 400,
          status: "Bad Request",
          reason: "invalid pagination token",
          message: "The request was malformed or contained invalid parameters",
        },
      ],
      [
        sealUrl(
          {
            e: inAnHour(),
            c: [
              { n: "created_at", vt: "2026-01-02T10:00:00Z" },
              { n: "id", vu: M.tieA },
            ],
          },
          KEY,
        ),
        400,
        {
          code: 400,
          status: "Bad Request",
          reason: "invalid pagination token",
          message: "The request was malformed or contained invalid parameters",
        },
      ],
    ];
    for (const [token, status, expected] of cases) {
      // ParseQueryParams reads the token before page_size; the columns are checked later, by NewPaginator.
      const checkedByPaginator = expected.reason === "invalid pagination token";
      const res = await list(`?page_token=${encodeURIComponent(token)}${checkedByPaginator ? "" : "&page_size=nope"}`);
      expect(res.status, token).toBe(status);
      expect(error(res.body), token).toEqual(expected);
    }
    // Then page_size: strconv.Atoi.
    expect(error((await list("?page_size=1e3")).body)).toEqual(plain('strconv.Atoi: parsing "1e3": invalid syntax'));
    expect(error((await list("?page_size=99999999999999999999")).body)).toEqual(
      plain('strconv.Atoi: parsing "99999999999999999999": value out of range'),
    );
    // A token sealed with the fallback key that has not expired is a page token like any other.
    const byZero = sealUrl(
      {
        e: inAnHour(),
        c: [
          { n: "created_at", o: 1, vt: "2026-01-02T11:00:00.12345+01:00" },
          { n: "id", vu: M.tieA },
        ],
      },
      ZERO_KEY,
    );
    expect(ids((await list(`?page_token=${encodeURIComponent(byZero)}`)).body)).toEqual([M.tieB, M.oldest]);
  });
});
