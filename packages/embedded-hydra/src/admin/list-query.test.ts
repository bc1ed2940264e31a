import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";

/**
 * The query of Hydra v26.2.0's admin list endpoints as Go reads it:
 * client/handler.go listOAuth2Clients (r.URL.Query().Get("client_name"),
 * Get("owner")), consent/handler.go listOAuth2ConsentSessions and
 * oauth2/trust/handler.go adminListTrustedOAuth2JwtGrantIssuers all hand
 * r.URL.Query() to ory/x keysetpagination_v2 ParseQueryParams and answer
 * SetLinkHeader. r.URL.Query() is net/url ParseQuery: a pair with a bad
 * `%` escape or a `;` is not there, `+` is a space, Get is the first value.
 * ParseQueryParams takes the first non-empty `page_token` and `page_size`
 * (cmp.Or), QueryUnescapes the token once more and strconv.Atoi's the
 * size; linkPart re-parses u.Query(), sets the two parameters and writes
 * Values.Encode (keys in byte order).
 */

const MALFORMED = "The request was malformed or contained invalid parameters";

let pg: TestPostgres;
let hydra: HydraUnderTest;

const admin = (path: string) => fetch(new URL(path, hydra.adminUrl));
const names = async (response: Response) => ((await response.json()) as { client_name: string }[]).map((client) => client.client_name);

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  for (const name of ["listq-a", "listq-b"]) {
    await hydra.admin.createOAuth2Client({
      oAuth2Client: { client_name: name, owner: "listq owner", redirect_uris: ["http://p.localhost/cb"] },
    });
  }
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("GET /admin/clients filters (client/handler.go listOAuth2Clients, r.URL.Query().Get)", () => {
  it("does not see a pair with a bad escape or a `;`: the next value is the first", async () => {
    const response = await admin("admin/clients?client_name=listq-%zz&client_name=listq-b&owner=x;y&owner=listq+owner");
    expect(response.status).toBe(200);
    expect(await names(response)).toEqual(["listq-b"]);
  });
});

describe("pagination parameters (ory/x keysetpagination_v2 ParseQueryParams)", () => {
  it("takes page_size from the first pair Go keeps", async () => {
    const response = await admin("admin/clients?owner=listq+owner&page_size=%zz&page_size=1");
    expect(response.status).toBe(200);
    expect(await names(response)).toHaveLength(1);
  });

  it("reads page_size as strconv.Atoi does: any int64, then clamped to 500", async () => {
    const largest = await admin("admin/clients?page_size=9223372036854775807");
    expect(largest.status).toBe(200);
    expect(largest.headers.get("link")).toContain("page_size=500");
    const past = await admin("admin/clients?page_size=9223372036854775808");
    expect(past.status).toBe(400);
    expect(await past.json()).toEqual({
      error: MALFORMED,
      error_description: 'Unable to parse pagination parameters: strconv.Atoi: parsing "9223372036854775808": value out of range',
    });
  });

  it("QueryUnescapes page_token once more, with Go's error", async () => {
    const response = await admin("admin/clients?page_token=%25zz");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: MALFORMED,
      error_description: 'Unable to parse pagination parameters: invalid URL escape "%zz"',
    });
  });

  it("applies to the consent session and trusted issuer lists too", async () => {
    const sessions = await admin("admin/oauth2/auth/sessions/consent?subject=nobody&page_size=%zz&page_size=2");
    expect(sessions.status).toBe(200);
    const issuers = await admin("admin/trust/grants/jwt-bearer/issuers?page_size=x;y&page_size=3");
    expect(issuers.status).toBe(200);
    expect(issuers.headers.get("link")).toContain("page_size=3");
  });
});

describe("Link header (keysetpagination_v2 linkPart: u.Query(), Set, Values.Encode)", () => {
  it("writes the query Go parsed, keys in byte order, values QueryEscape'd", async () => {
    const response = await admin("admin/clients?owner=listq+owner&x=%zz&b=a%20b;c&page_size=1&A=%7e");
    expect(response.status).toBe(200);
    const first = /<([^>]+)>; rel="first"/.exec(response.headers.get("link") ?? "")?.[1] ?? "";
    const firstToken = /page_token=([^&]*)/.exec(first)?.[1] ?? "";
    expect(first).toBe(`/admin/clients?A=~&owner=listq+owner&page_size=1&page_token=${firstToken}`);
  });
});
