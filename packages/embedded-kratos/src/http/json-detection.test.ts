import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";
import { TestBrowser } from "../testing/browser";
import { ACCEPTS_JSON_OFFERS, IS_JSON_REQUEST_OFFERS, negotiateContentType, parseMediaType } from "./negotiate";

const isJson = (...accept: string[]) => negotiateContentType(accept, IS_JSON_REQUEST_OFFERS, "text/html") === "application/json";
const acceptsJson = (...accept: string[]) => negotiateContentType(accept, ACCEPTS_JSON_OFFERS, "text/html") === "application/json";

// golang/gddo httputil.NegotiateContentType + header.ParseAccept (the revision Kratos v26.2's go.mod pins),
// as Kratos' x.IsJSONRequest (x/isjsonrequest.go) and x.AcceptsJSON (x/http.go) call it.
describe("content negotiation (gddo NegotiateContentType, Kratos x.IsJSONRequest / x.AcceptsJSON)", () => {
  it("picks JSON only when it beats every offer Kratos lists before it", () => {
    expect(isJson("application/json")).toBe(true);
    expect(isJson()).toBe(false);
    expect(isJson("*/*")).toBe(false);
    expect(isJson("text/html;q=0.9, application/json")).toBe(true);
    // A tie goes to the earlier offer (text/html), whatever the order of the Accept entries.
    expect(isJson("application/json, text/html")).toBe(false);
    expect(acceptsJson("application/json, text/html")).toBe(false);
    // A wildcard is weaker than an exact match of the same quality.
    expect(isJson("application/json, */*")).toBe(true);
    expect(acceptsJson("application/*")).toBe(true);
    expect(isJson("application/*")).toBe(true);
    expect(isJson("text/*")).toBe(false);
  });

  it("parses Accept as gddo does: case-sensitive types, q=0 ignored, a non-q parameter ends the line", () => {
    expect(isJson("Application/JSON")).toBe(false);
    expect(isJson("application/json;q=0")).toBe(false);
    expect(isJson("application/json;q=0.5, text/html;q=0.4")).toBe(true);
    expect(isJson("application/json; charset=utf-8")).toBe(false);
    expect(isJson("text/html; level=1, application/json")).toBe(false);
    // Each header line is parsed on its own.
    expect(isJson("text/html; level=1", "application/json")).toBe(true);
  });

  it("reads media types as Go's mime.ParseMediaType (decoderx / httpx.HasContentType)", () => {
    expect(parseMediaType("application/json")).toBe("application/json");
    expect(parseMediaType(" Application/JSON ; charset=utf-8")).toBe("application/json");
    expect(parseMediaType('application/json; charset="utf-8";')).toBe("application/json");
    expect(parseMediaType("application/json; charset")).toBeUndefined();
    expect(parseMediaType("application/")).toBeUndefined();
    // Go's own answers (mediatype.go): a repeated parameter is an error, `{` is a token byte (RFC 2045, not RFC 7230),
    // and a space beyond ASCII is trimmed as its UTF-8 bytes (header bytes one char each, as Node keeps them).
    expect(parseMediaType("application/json; charset=utf-8; charset=latin1")).toBeUndefined();
    expect(parseMediaType("application/json{")).toBe("application/json{");
    expect(parseMediaType("\xc2\xa0application/json")).toBe("application/json");
  });
});

describe("JSON detection on the wire (x.IsJSONRequest decides the answer, decoderx the body)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_json_detection")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const registerAndLogin = async (contentType: string, accept?: string) => {
    const email = uniqueEmail("json-detect");
    await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email, name: { first: "J", last: "D" } },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    const browser = new TestBrowser();
    const created = await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } });
    const flow = created.body as { id: string; ui: { nodes: { attributes: { name?: string; value?: unknown } }[] } };
    const csrf = flow.ui.nodes.find((n) => n.attributes.name === "csrf_token")?.attributes.value as string;
    return browser.request(`${kratos.publicUrl}/self-service/login?flow=${flow.id}`, {
      headers: { "Content-Type": contentType, ...(accept ? { Accept: accept } : {}) },
      body: JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrf }),
    });
  };

  it("a body sent as `application/json; charset=utf-8` is decoded as JSON but answered as a browser form post (303)", async () => {
    const res = await registerAndLogin("application/json; charset=utf-8");
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("ciam_kratos_session="))).toBe(true);
  });

  it("the bare `application/json` type makes it an API/AJAX client (200 with the session)", async () => {
    const res = await registerAndLogin("application/json");
    expect(res.status).toBe(200);
    expect((res.body as { session?: { active: boolean } }).session?.active).toBe(true);
  });

  it("a tie in Accept between text/html and application/json is a browser (303)", async () => {
    const res = await registerAndLogin("application/json; charset=utf-8", "application/json, text/html");
    expect(res.status).toBe(303);
  });
});
