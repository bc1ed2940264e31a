import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";
import { rawRequest, type RawAnswer } from "../testing/raw-request";

/**
 * Percent-encoded request paths as Hydra v26.2.0 routes them: oryx
 * httprouterx/router.go registers every route on Go's net/http ServeMux,
 * behind TrimTrailingSlashNegroni and (admin) AddAdminPrefixIfNotPresentNegroni,
 * which edit the decoded r.URL.Path only (cmd/server/handler.go). ServeMux
 * findHandler routes on r.URL.EscapedPath(), each segment decoded
 * (routing_tree.go firstSegment), and r.PathValue is that decoded segment.
 */

let pg: TestPostgres;
let hydra: HydraUnderTest;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
});
afterAll(() => stopHydraAndPostgres(hydra, pg));

const admin = (method: string, path: string) => rawRequest(hydra.adminUrl, method, path);
const publicPort = (method: string, path: string) => rawRequest(hydra.publicUrl, method, path);

const MUX_NOT_FOUND = [404, "text/plain; charset=utf-8", "404 page not found\n"];
const outcome = (answer: RawAnswer) => [answer.status, answer.headers["content-type"], answer.body];

describe("a route literal spelled with escapes (routing_tree.go firstSegment decodes each segment)", () => {
  it("serves the client list at /admin/cl%69ents, its Link naming the path as sent (r.URL.EscapedPath)", async () => {
    const answer = await admin("GET", "/admin/cl%69ents");
    expect([answer.status, answer.headers["content-type"]]).toEqual([200, "application/json; charset=utf-8"]);
    expect(String(answer.headers.link)).toContain("</admin/cl%69ents?");
  });

  it("takes /%61dmin/clients as /admin/clients: AddAdminPrefixIfNotPresentNegroni tests the decoded path", async () => {
    expect((await admin("GET", "/%61dmin/clients")).status).toBe(200);
    // The exact /admin, however spelled, is serverx's DefaultNotFoundHandler.
    const page = await admin("GET", "/%61dmin");
    expect([page.status, page.headers["content-type"]]).toEqual([404, "text/html; charset=utf-8"]);
  });

  it("answers another method with the mux's 405 and its Allow", async () => {
    const answer = await admin("DELETE", "/admin/cl%69ents");
    expect([answer.status, answer.headers.allow, answer.body]).toEqual([405, "GET, HEAD, POST", "Method Not Allowed\n"]);
  });

  it("serves the public routes too (discovery, health)", async () => {
    const discovery = await publicPort("GET", "/.well-known/openid-c%6Fnfiguration");
    expect([discovery.status, discovery.headers["content-type"]]).toEqual([200, "application/json; charset=utf-8"]);
    expect((await publicPort("GET", "/health/%61live")).status).toBe(200);
  });
});

describe("an escaped slash or dot inside a segment", () => {
  it("gives `{id}` the decoded segment: /admin/clients/%2E%2E asks the client handler for client `..`", async () => {
    const answer = await admin("GET", "/admin/clients/%2E%2E");
    expect([answer.status, answer.headers["content-type"]]).toEqual([404, "application/json"]);
  });

  it("keeps %2F inside its segment while the middlewares leave r.URL.Path alone", async () => {
    const answer = await admin("GET", "/admin/clients/a%2Fb");
    expect([answer.status, answer.headers["content-type"]]).toEqual([404, "application/json"]);
  });

  it("loses it once a middleware rewrote the decoded path: EscapedPath escapes the new Path afresh", async () => {
    // TrimTrailingSlashNegroni: /admin/clients/a/b has four segments, which no route takes.
    expect(outcome(await admin("GET", "/admin/clients/a%2Fb/"))).toEqual(MUX_NOT_FOUND);
    // AddAdminPrefixIfNotPresentNegroni: /clients/a%2Fb becomes /admin/clients/a/b.
    expect(outcome(await admin("GET", "/clients/a%2Fb"))).toEqual(MUX_NOT_FOUND);
    // An escaped trailing slash is trimmed as one: /admin/clients%2F is the client list.
    expect((await admin("GET", "/admin/clients%2F")).status).toBe(200);
  });
});

describe("the redirect to the clean path with escapes (server.go findHandler)", () => {
  it("cleans the escaped path and escapes it once more in Location; an escaped dot is no dot segment", async () => {
    const answer = await admin("GET", "/admin/./cl%69ents");
    expect([answer.status, answer.headers.location]).toEqual([301, "/admin/cl%2569ents"]);
    // %2E%2E survives cleanPath (it is not `..` until the segment is decoded), so there is no redirect.
    expect(outcome(await admin("GET", "/admin/%2E%2E/clients"))).toEqual(MUX_NOT_FOUND);
  });
});
