import { randomUUID } from "node:crypto";
import { get as httpGet } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseListParameters } from "./identity-list";
import { startKratosWithPostgres, stopKratosAndPostgres, STRONG_PASSWORD, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * GET /admin/identities: identity/handler.go parseListIdentitiesParameters
 * and list, x/pagination.go ParseKeysetOrPagePagination, and
 * persistence/sql/identity/persister_identity.go ListIdentities (keyset of
 * 250 by default and at most 500, identifier filters, legacy pagination).
 */
describe("listing identities with Kratos' filters and pagination", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const stamp = Date.now().toString(36);
  const emails = ["alice", "alicia", "bob", "carol", "dave"].map((n) => `${n}.${stamp}@example.com`);
  const ids: string[] = [];
  const org = randomUUID();

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_list"));
    for (const [i, email] of emails.entries()) {
      const { data } = await kratos.identity.createIdentity({
        createIdentityBody: {
          schema_id: "default",
          traits: { email },
          credentials: {
            password: { config: { password: STRONG_PASSWORD } },
            ...(i === 0 ? { oidc: { config: { providers: [{ provider: "GitHub", subject: "Alice-1" }] } } } : {}),
          },
          ...(i < 2 ? { organization_id: org } : {}),
        },
      });
      ids.push(data.id);
    }
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const list = (query: string) => fetch(`${kratos.adminUrl}/admin/identities?${query}`);
  const idsOf = async (res: Response) => ((await res.json()) as { id: string }[]).map((i) => i.id);
  const errorOf = async (res: Response) => ((await res.json()) as { error: Record<string, unknown> }).error;

  it("credentials_identifier matches exactly (password identifiers normalised, oidc ones as stored) and includes credentials", async () => {
    const res = await list(`credentials_identifier=${encodeURIComponent(` ${emails[0]?.toUpperCase()} `)}`);
    const body = (await res.json()) as { id: string; credentials?: Record<string, unknown> }[];
    expect(body.map((i) => i.id)).toEqual([ids[0]]);
    expect(Object.keys(body[0]?.credentials ?? {}).sort()).toEqual(["code", "oidc", "password", "webauthn"]);
    expect(await idsOf(await list("credentials_identifier=GitHub:Alice-1"))).toEqual([ids[0]]);
    expect(await idsOf(await list("credentials_identifier=github:alice-1"))).toEqual([]);
    expect(await idsOf(await list(`credentials_identifier=${encodeURIComponent(emails[0]?.slice(0, 5) ?? "")}`))).toEqual([]);
  });

  it("preview_credentials_identifier_similar matches identifiers starting with it, LIKE wildcards escaped", async () => {
    const found = await idsOf(await list(`preview_credentials_identifier_similar=ALI`));
    expect(found.filter((id) => ids.includes(id)).sort()).toEqual([ids[0], ids[1]].sort());
    expect(await idsOf(await list(`preview_credentials_identifier_similar=${encodeURIComponent(`alic_a.${stamp}`)}`))).toEqual([]);
    expect(await idsOf(await list(`preview_credentials_identifier_similar=${encodeURIComponent("%")}`))).toEqual([]);
  });

  it("lists without credentials unless a filter or include_credential asks for them", async () => {
    const [plain] = (await (await list(`ids=${ids[2]}`)).json()) as Record<string, unknown>[];
    expect(plain).not.toHaveProperty("credentials");
    expect(plain).toMatchObject({ organization_id: null, metadata_public: null });
    const [withConfig] = (await (await list(`ids=${ids[2]}&include_credential=password`)).json()) as {
      credentials: { password: { config: { hashed_password: string } } };
    }[];
    expect(withConfig?.credentials.password.config.hashed_password).toMatch(/^\$2a\$04\$/);
  });

  it("filters by ids and organization_id", async () => {
    expect(await idsOf(await list(`ids=${ids[3]}&ids=${ids[1]}&ids=${randomUUID()}`))).toEqual([ids[1], ids[3]].sort());
    expect((await idsOf(await list(`organization_id=${org}`))).sort()).toEqual([ids[0], ids[1]].sort());
  });

  it("takes 500 ids in one URL and refuses 501 (identity/handler.go parseListIdentitiesParameters; net/http DefaultMaxHeaderBytes)", async () => {
    const many = (n: number) => [ids[4], ...Array.from({ length: n - 1 }, () => randomUUID())].map((id) => `ids=${id}`).join("&");
    // The answer's Link header repeats the query, beyond fetch's own 16 KB limit for response heads.
    const getLarge = (query: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpGet(`${kratos.adminUrl}/admin/identities?${query}`, { maxHeaderSize: 1 << 20 }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("error", reject);
      });
    const found = await getLarge(many(500));
    expect(found.status).toBe(200);
    expect((JSON.parse(found.body) as { id: string }[]).map((i) => i.id)).toEqual([ids[4]]);
    const tooMany = await getLarge(many(501));
    expect(tooMany.status).toBe(400);
    expect((JSON.parse(tooMany.body) as { error: unknown }).error).toMatchObject({
      code: 400,
      reason: "The number of ids to filter must not exceed 500.",
    });
  });

  it("refuses combined and invalid filters as Kratos does", async () => {
    const cases: [string, string][] = [
      [`ids=${ids[0]}&credentials_identifier=x`, "You cannot combine multiple filters in this API"],
      [`credentials_identifier=x&preview_credentials_identifier_similar=x`, "You cannot combine multiple filters in this API"],
      [`organization_id=${org}&ids=${ids[0]}`, "You cannot combine multiple filters in this API"],
      ["ids=nope", "Invalid UUID value `nope` for parameter `ids`."],
      ["organization_id=nope", "Invalid UUID value `nope` for parameter `organization_id`."],
      ["include_credential=secret", "Invalid value `secret` for parameter `include_credential`."],
      ["page_size=abc", 'strconv.Atoi: parsing "abc": invalid syntax'],
      // strconv.Quote escapes a rune unicode.IsPrint refuses (U+0378 is unassigned).
      ["page_size=%CD%B8", 'strconv.Atoi: parsing "\\u0378": invalid syntax'],
      ["per_page=abc", 'strconv.Atoi: parsing "abc": invalid syntax'],
      ["page_token=abc", "The page token is invalid, do not craft your own page tokens"],
      [
        "page=3&per_page=500",
        "Legacy pagination is not supported for enumerating over 1000 items. Please switch to using page_token and page_size.",
      ],
    ];
    for (const [query, reason] of cases) {
      const res = await list(query);
      expect(res.status, query.slice(0, 60)).toBe(400);
      expect(await errorOf(res)).toMatchObject({
        code: 400,
        status: "Bad Request",
        reason,
        message: "The request was malformed or contained invalid parameters",
      });
    }
    // 501 UUIDs make a longer query than Node's HTTP parser accepts (16 KB, Go's is 1 MB): checked without HTTP.
    expect(() =>
      parseListParameters(new URLSearchParams(Array.from({ length: 501 }, (): [string, string] => ["ids", randomUUID()]))),
    ).toThrow(expect.objectContaining({ code: 400, reason: "The number of ids to filter must not exceed 500." }));
    // Empty filters are no filters; consistency is accepted whatever its value.
    expect((await list("credentials_identifier=&ids_unknown=1&consistency=strong&consistency=eventual")).status).toBe(200);
  });

  it("pages with the last id as page_token and sorted Link queries, page_size defaulting to 250 and capped at 500", async () => {
    const all: string[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const res = await list(`page_size=2&credentials_identifier=&${token ? `page_token=${token}` : ""}`);
      const page = await idsOf(res);
      all.push(...page);
      const link = res.headers.get("link") ?? "";
      if (first) {
        expect(link.split(",")[0]).toBe(
          '</admin/identities?credentials_identifier=&page_size=2&page_token=00000000-0000-0000-0000-000000000000>; rel="first"',
        );
        first = false;
      }
      token = /page_token=([^&>]+)>; rel="next"/.exec(link)?.[1];
      if (token) expect(token).toBe(page[page.length - 1]);
    } while (token);
    expect(all).toEqual([...ids].sort());

    const big = await list("page_size=5000");
    expect(big.headers.get("link")).toContain("page_size=500&");
    const none = await list("page_size=0");
    expect(none.headers.get("link")).toContain("page_size=250&");
    const perPage = await list("per_page=3");
    expect(await idsOf(perPage)).toHaveLength(3);
    expect(perPage.headers.get("link")).toContain("?page_size=3&page_token=");
  });

  it("answers legacy page/per_page with X-Total-Count and page links", async () => {
    const res = await list("page=1&per_page=2");
    expect(await idsOf(res)).toEqual([...ids].sort().slice(2, 4));
    expect(res.headers.get("x-total-count")).toBe("5");
    expect(res.headers.get("link")).toBe(
      [
        '</admin/identities?page=0&per_page=2>; rel="first"',
        '</admin/identities?page=2&per_page=2>; rel="next"',
        '</admin/identities?page=0&per_page=2>; rel="prev"',
        '</admin/identities?page=2&per_page=2>; rel="last"',
      ].join(","),
    );
  });
});
