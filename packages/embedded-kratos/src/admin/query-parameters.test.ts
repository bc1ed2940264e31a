import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * The query parameters of Kratos v26.2's admin GET routes, case by case:
 * repeated and empty values, bad escapes and `;` (net/url ParseQuery, which
 * r.URL.Query() runs, drops such pairs), sizes past 2^53 and past int64
 * (strconv.Atoi / ParseInt), gofrs' UUID forms (uuid.FromString), unknown
 * enum values and combined filters. Each case names the Go function whose
 * answer it expects.
 */

const DATABASE = "ciam_admin_query_parameters";
const NIL = "00000000-0000-0000-0000-000000000000";
const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const b64raw = (text: string) => Buffer.from(text, "utf8").toString("base64").replace(/=+$/, "");

interface Answer {
  status: number;
  link: string;
  body: unknown;
}

/** What a case expects: the status, and the body (equal) or a part of it, or a check of the answer. */
interface Case {
  query: string;
  go: string;
  status: number;
  error?: Record<string, unknown>;
  check?: (answer: Answer) => void;
}

describe("admin GET query parameters as Kratos v26.2 reads them", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const ids: string[] = [];

  const get = async (path: string): Promise<Answer> => {
    const res = await fetch(`${kratos.adminUrl}${path}`);
    return { status: res.status, link: res.headers.get("link") ?? "", body: await res.json() };
  };
  const count = (n: number) => (a: Answer) => expect((a.body as unknown[]).length).toBe(n);
  const listed = (expected: () => string[]) => (a: Answer) => expect((a.body as { id: string }[]).map((i) => i.id)).toEqual(expected());

  const first = () => ids[0] ?? "";
  const run = (path: string, cases: () => Case[]) => {
    it.each(cases().map((c) => [c.query, c] as const))(`${path}?%s`, async (_query, c) => {
      // The identities exist only once the cases run: `:first` and `:hex` stand for the first id.
      const query = c.query.replace(":first", first()).replace(":hex", first().replace(/-/g, ""));
      const answer = await get(`${path.replace(":id", first())}?${query}`);
      expect(answer.status, c.go).toBe(c.status);
      if (c.error) expect((answer.body as { error: unknown }).error, c.go).toMatchObject(c.error);
      c.check?.(answer);
    });
  };

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres(DATABASE));
    for (let i = 0; i < 4; i++) {
      const { data } = await kratos.identity.createIdentity({
        createIdentityBody: { schema_id: "default", traits: { email: uniqueEmail("query") } },
      });
      ids.push(data.id);
    }
    ids.sort();
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const bad400 = { code: 400, message: "The request was malformed or contained invalid parameters" };

  describe("GET /admin/identities (identity/handler.go parseListIdentitiesParameters, x.ParseKeysetOrPagePagination)", () => {
    run("/admin/identities", () => [
      { query: "ids=%zz", go: "url.ParseQuery drops a pair with a bad escape: no ids filter", status: 200, check: count(4) },
      { query: `ids=${NIL};x`, go: "url.ParseQuery drops a pair holding `;`", status: 200, check: count(4) },
      { query: `ids={${NIL.replace(/0/g, "a")}}`, go: "uuid.FromString reads braces", status: 200, check: count(0) },
      {
        query: "ids=:hex&ids=urn:uuid::first",
        go: "uuid.FromString reads 32 hex digits and urn:uuid:",
        status: 200,
        check: listed(() => [first()]),
      },
      {
        query: "ids=nope",
        go: "parseListIdentitiesParameters",
        status: 400,
        error: { ...bad400, reason: "Invalid UUID value `nope` for parameter `ids`." },
      },
      { query: `organization_id={${NIL}}`, go: "uuid.FromString reads braces", status: 200, check: count(0) },
      {
        query: "organization_id=x",
        go: "parseListIdentitiesParameters",
        status: 400,
        error: { reason: "Invalid UUID value `x` for parameter `organization_id`." },
      },
      {
        query: `ids=${NIL}&credentials_identifier=a`,
        go: "requestedFilters > 1",
        status: 400,
        error: { reason: "You cannot combine multiple filters in this API" },
      },
      {
        query: "organization_id=&ids=",
        go: "an empty organization_id is no filter; `ids=` is one (and not a UUID)",
        status: 400,
        error: { reason: "Invalid UUID value `` for parameter `ids`." },
      },
      {
        query: "include_credential=password&include_credential=x",
        go: "ParseCredentialsType",
        status: 400,
        error: { reason: "Invalid value `x` for parameter `include_credential`." },
      },
      { query: "consistency=whatever", go: "crdbx.ConsistencyLevelFromRequest ignores unknown levels", status: 200, check: count(4) },
      {
        query: "page_size=abc",
        go: "keysetpagination.Parse: strconv.Atoi",
        status: 400,
        error: { ...bad400, reason: 'strconv.Atoi: parsing "abc": invalid syntax' },
      },
      {
        query: "page_size=99999999999999999999",
        go: "strconv.Atoi: past int64",
        status: 400,
        error: { reason: 'strconv.Atoi: parsing "99999999999999999999": value out of range' },
      },
      {
        query: "page_size=9007199254740993",
        go: "Atoi takes it, Paginator.Size caps at 500",
        status: 200,
        check: (a) => expect(a.link).toContain("page_size=500"),
      },
      {
        query: "page_size=-3",
        go: "Paginator.Size: not positive is the default 250",
        status: 200,
        check: (a) => expect(a.link).toContain("page_size=250"),
      },
      { query: "page_size=&page_size=1", go: "cmp.Or: the first non-empty value", status: 200, check: count(1) },
      {
        query: "page_token=%2541%25zz",
        go: "url.QueryUnescape names the first bad escape",
        status: 400,
        error: { reason: 'invalid URL escape "%zz"' },
      },
      {
        query: "page_token=%25ff",
        go: "QueryUnescape takes any byte; ListIdentities: not a UUID",
        status: 400,
        error: { reason: "The page token is invalid, do not craft your own page tokens" },
      },
      { query: `page_token={${NIL}}`, go: "ListIdentities: uuid.FromString reads braces, Postgres too", status: 200, check: count(4) },
      { query: `page_token=${NIL.replace(/-/g, "")}`, go: "ListIdentities: 32 hex digits", status: 200, check: count(4) },
      { query: "page=abc", go: "pagepagination.ParsePagination: ParseInt fails, page 0", status: 200, check: count(4) },
      {
        query: "page=9007199254740993",
        go: "ParseInt takes it; page*perPage > x.PagePaginationLimit",
        status: 400,
        error: {
          reason: "Legacy pagination is not supported for enumerating over 1000 items. Please switch to using page_token and page_size.",
        },
      },
      { query: "page=99999999999999999999", go: "ParseInt: past int64, page 0", status: 200, check: count(4) },
      { query: "page=2&per_page=500", go: "exactly 1000 is allowed", status: 200, check: count(0) },
      { query: "page=1&per_page=-1", go: "per_page below 1 is 1", status: 200, check: listed(() => [ids[1] ?? ""]) },
      {
        query: "per_page=2",
        go: "a lone per_page is page_size (the query rewritten)",
        status: 200,
        check: (a) => {
          count(2)(a);
          expect(a.link).not.toContain("per_page");
        },
      },
    ]);
  });

  describe("GET /admin/identities/{id} (identity/handler.go get)", () => {
    run("/admin/identities/:id", () => [
      {
        query: "include_credential=password&include_credential=bogus",
        go: "get: the message prints the accepted types",
        status: 400,
        error: { reason: "Invalid value `[password]` for parameter `include_credential`." },
      },
      { query: "include_credential=bogus;x", go: "url.ParseQuery drops a pair holding `;`", status: 200 },
      { query: "include_credential=%zz", go: "url.ParseQuery drops a pair with a bad escape", status: 200 },
      {
        query: "include_credential=",
        go: "ParseCredentialsType refuses the empty type",
        status: 400,
        error: { reason: "Invalid value `[]` for parameter `include_credential`." },
      },
    ]);
  });

  describe("GET /admin/sessions (session/handler.go adminListSessions)", () => {
    const tokenOf = (id: string) => encodeURIComponent(b64raw(`id=${id}/created_at=2200-12-31 23:59:59`));
    run("/admin/sessions", () => [
      { query: "active=maybe", go: "strconv.ParseBool", status: 400, error: { message: "could not parse parameter active" } },
      { query: "active=%zz&active=T", go: "url.ParseQuery drops the first pair; Get reads `T`", status: 200 },
      { query: "active=&active=x", go: "Get reads the first value, empty: no filter", status: 200 },
      { query: "page_size=x", go: "keysetpagination.Parse: Atoi", status: 400, error: { message: "could not parse parameter page_size" } },
      {
        query: "page_size=99999999999999999999",
        go: "Atoi: past int64",
        status: 400,
        error: { message: "could not parse parameter page_size" },
      },
      {
        query: "page_size=9007199254740993",
        go: "Atoi takes it, WithMaxSize caps at 1000",
        status: 200,
        check: (a) => expect(a.link).toContain("page_size=1000"),
      },
      {
        query: "page_token=%25zz",
        go: "url.QueryUnescape of the token",
        status: 400,
        error: { message: "could not parse parameter page_size" },
      },
      {
        query: "page_token=!!",
        go: "NewMapPageToken: base64.RawStdEncoding",
        status: 400,
        error: { message: "could not parse parameter page_size" },
      },
      { query: `page_token=${tokenOf(`{${NIL}}`)}`, go: "ListSessions: uuid.FromString reads braces", status: 200 },
      {
        query: `page_token=${tokenOf("nope")}`,
        go: "ListSessions: x.PageTokenInvalid",
        status: 400,
        error: { reason: "The page token is invalid, do not craft your own page tokens" },
      },
      { query: "expand=IDENTITY&expand=Devices", go: "ParseExpandable: any case", status: 200 },
      { query: "expand=x", go: "ParseExpandable", status: 400, error: { reason: "Could not parse expand option: x" } },
    ]);
  });

  // The identity has no sessions: the Link header (pagination.HeaderWithFormatter) shows the page and size read.
  describe("GET /admin/identities/{id}/sessions (session/handler.go listIdentitySessions, migrationpagination)", () => {
    run("/admin/identities/:id/sessions", () => [
      { query: "active=nope", go: "strconv.ParseBool", status: 400, error: { message: "could not parse parameter active" } },
      {
        query: "page_size=99999999999999999999",
        go: "tokenpagination: ParseInt fails, the default 250",
        status: 200,
        check: (a) => expect(a.link).toContain("page_size=250"),
      },
      {
        query: "per_page=99999999999999999999",
        go: "pagepagination: ParseInt fails, the default 250",
        status: 200,
        check: (a) => expect(a.link).toContain("per_page=250"),
      },
      { query: "per_page=5000", go: "at most 1000", status: 200, check: (a) => expect(a.link).toContain("per_page=1000") },
      {
        query: `page_size=1&page_token=${b64url('{"offset":"3","v":2}')}`,
        go: "tokenpagination decode: offset 3 is page 3",
        status: 200,
        check: (a) => expect(a.link).toContain("page=4&"),
      },
      {
        query: `page_size=1&page_token=${b64url('{"offset":"3","v":2}')}%3D`,
        go: "base64.RawURLEncoding refuses padding: offset 0",
        status: 200,
        check: (a) => expect(a.link).toContain("page=1&"),
      },
      {
        query: `page_size=1&page_token=${b64url('{"offset":" 3"}')}`,
        go: "gjson Int of a string that is not -?digits: 0",
        status: 200,
        check: (a) => expect(a.link).toContain("page=1&"),
      },
    ]);
  });

  describe("GET /admin/courier/messages (courier/handler.go parseMessagesFilter, keysetpagination_v2 ParseQueryParams)", () => {
    // WriteErrorCode(400, err) of a plain Go error: herodot's body keeps code 500.
    const plain = (message: string) => ({ code: 500, message });
    run("/admin/courier/messages", () => [
      { query: "status=bogus", go: "ToMessageStatus", status: 400, error: { reason: "Message status is not valid" } },
      { query: "status=%zz", go: "url.ParseQuery drops the pair: no status filter", status: 200 },
      {
        query: "status=",
        go: "Has(status) with an empty value: ToMessageStatus refuses it",
        status: 400,
        error: { reason: "Message status is not valid" },
      },
      { query: "page_size=abc", go: "strconv.Atoi", status: 400, error: plain('strconv.Atoi: parsing "abc": invalid syntax') },
      {
        query: "page_size=99999999999999999999",
        go: "strconv.Atoi: past int64",
        status: 400,
        error: plain('strconv.Atoi: parsing "99999999999999999999": value out of range'),
      },
      { query: "page_token=%25zz", go: "url.QueryUnescape", status: 400, error: plain('invalid URL escape "%zz"') },
      {
        query: "page_token=%25%E6%97%A5",
        go: "EscapeError keeps three bytes, strconv.Quote prints the cut rune as \\x",
        status: 400,
        error: plain('invalid URL escape "%\\xe6\\x97"'),
      },
      { query: "recipient=&recipient=x", go: "Get reads the first value, empty: no filter", status: 200 },
    ]);
  });
});
