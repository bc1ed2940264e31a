import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fositeDescription } from "./fosite-errors";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { createClient } from "./testing/clients";
import { codeExchange } from "./testing/tokens";
import { REDIRECT_URI } from "./testing/oauth";

/**
 * A body later than ReadTimeout (ory/graceful's 5 s): Go
 * fails the handler's next body read with `read tcp <server>-><client>: i/o
 * timeout` (server.go conn.readRequest's whole-request deadline), and each
 * Hydra handler words that failure as it words any decode or parse failure;
 * the answer closes the connection. What a json.Decoder already holds a
 * whole first value of is decoded as if the body had ended there
 * (json/stream.go readValue).
 */
let postgres: TestPostgres;
let hydra: HydraUnderTest;

// Hydra's own timeouts: Node times no request out before its headersTimeout (5 s, Go's ReadHeaderTimeout), so a
// shorter ReadTimeout would not shorten these tests; each sends its late requests at once instead.
beforeAll(async () => {
  ({ postgres, hydra } = await startHydraWithPostgres());
});

afterAll(() => stopHydraAndPostgres(hydra, postgres));

interface LateAnswer {
  status: number;
  /** Header lines, lower-cased names. */
  headers: Map<string, string>;
  body: string;
  /** Go's read error as the server would word it for this connection. */
  readError: string;
}

/** Sends a request announcing `declared` body bytes but only `sent` of them, and reads the answer until the server closes. */
function lateBody(base: string, method: string, target: string, headers: Record<string, string>, sent: string, declared = 4096) {
  const { hostname, port } = new URL(base);
  return new Promise<LateAnswer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let readError = "";
    const socket = connect(Number(port), hostname, () => {
      readError = `read tcp ${socket.remoteAddress ?? ""}:${socket.remotePort ?? 0}->${socket.localAddress ?? ""}:${socket.localPort ?? 0}: i/o timeout`;
      const head = Object.entries({ host: `${hostname}:${port}`, ...headers, "content-length": String(declared) })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("");
      socket.write(`${method} ${target} HTTP/1.1\r\n${head}\r\n${sent}`);
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const [statusLine = "", ...lines] = text.slice(0, split).split("\r\n");
      const headerMap = new Map<string, string>();
      for (const line of lines) headerMap.set(line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim());
      resolve({ status: Number(statusLine.split(" ")[1]), headers: headerMap, body: text.slice(split + 4), readError });
    });
  });
}

const JSON_TYPE = { "content-type": "application/json" };
const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };

function expectClosed(answer: LateAnswer): void {
  expect(answer.headers.get("connection")).toBe("close");
}

describe("admin JSON decoders (json.NewDecoder(r.Body).Decode): the read error in the handler's decode error", () => {
  it("login and consent decisions: invalid_request 'Unable to decode body because: …' (consent/handler.go acceptOAuth2LoginRequest)", async () => {
    const answer = await lateBody(
      hydra.adminUrl,
      "PUT",
      "/admin/oauth2/auth/requests/login/accept?login_challenge=x",
      JSON_TYPE,
      '{"subject":',
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: "invalid_request",
      error_description: fositeDescription("invalid_request", `Unable to decode body because: ${answer.readError}`),
    });
    expectClosed(answer);
  });

  it("a first value complete before the deadline is decoded, the rest never read (json/stream.go readValue)", async () => {
    const accept = "/admin/oauth2/auth/requests/login/accept?login_challenge=x";
    // A top-level string is complete only at the byte after it: the decoder reads on and meets the deadline.
    const [answer, scalar] = await Promise.all([
      lateBody(hydra.adminUrl, "PUT", accept, JSON_TYPE, '{"subject":"a"} '),
      lateBody(hydra.adminUrl, "PUT", accept, JSON_TYPE, '"a"'),
    ]);
    const inTime = await fetch(new URL("/admin/oauth2/auth/requests/login/accept?login_challenge=x", hydra.adminUrl), {
      method: "PUT",
      headers: JSON_TYPE,
      body: '{"subject":"a"}',
    });
    expect([answer.status, answer.body]).toEqual([inTime.status, await inTime.text()]);
    expectClosed(answer);
    expect(JSON.parse(scalar.body)).toMatchObject({ error_description: expect.stringContaining(scalar.readError) as unknown });
  });

  it("a first value followed by 256 KiB or more still unsent is answered at once, past 1 MiB too (json/stream.go readValue; net/http server.go chunkWriter.writeHeader tooBig)", async () => {
    const accept = "/admin/oauth2/auth/requests/login/accept?login_challenge=x";
    const started = Date.now();
    // Go's decoder returns with the value; the server does not wait for a rest of maxPostHandlerReadBytes or more.
    const [answer, pastCap] = await Promise.all([
      lateBody(hydra.adminUrl, "PUT", accept, JSON_TYPE, '{"subject":"a"}', 300 * 1024),
      lateBody(hydra.adminUrl, "PUT", accept, JSON_TYPE, '{"subject":"a"}', 2 * 1024 * 1024),
    ]);
    const elapsed = Date.now() - started;
    const inTime = await fetch(new URL(accept, hydra.adminUrl), { method: "PUT", headers: JSON_TYPE, body: '{"subject":"a"}' });
    const expected = [inTime.status, await inTime.text()];
    expect([answer.status, answer.body]).toEqual(expected);
    expect([pastCap.status, pastCap.body]).toEqual(expected);
    // Well before ReadTimeout (5 s).
    expect(elapsed).toBeLessThan(3000);
    expectClosed(answer);
    expectClosed(pastCap);
  });

  it("clients and key sets: herodot's bad request 'Unable to decode the request body: …' (client/handler.go CreateClient, jwk/handler.go)", async () => {
    const late = (path: string) => lateBody(hydra.adminUrl, "POST", path, JSON_TYPE, '{"client_name":"a",');
    for (const answer of await Promise.all([late("/admin/clients"), late("/admin/keys/late-set")])) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({
        error: "The request was malformed or contained invalid parameters",
        error_description: `Unable to decode the request body: ${answer.readError}`,
      });
      expectClosed(answer);
    }
  });

  it("the device user code: invalid_request 'Unable to decode request body: …' (consent/handler.go acceptUserCodeRequest)", async () => {
    const answer = await lateBody(hydra.adminUrl, "PUT", "/admin/oauth2/auth/requests/device/accept?device_challenge=x", JSON_TYPE, "{");
    expect(JSON.parse(answer.body)).toEqual({
      error: "invalid_request",
      error_description: fositeDescription("invalid_request", `Unable to decode request body: ${answer.readError}`),
    });
  });
});

describe("form readers (r.ParseForm / ParseMultipartForm: parsePostForm returns the read error)", () => {
  it("the device authorization endpoint: fosite's 'Unable to parse HTTP body' (device_request_handler.go NewDeviceRequest)", async () => {
    const answer = await lateBody(hydra.publicUrl, "POST", "/oauth2/device/auth", FORM_TYPE, "client_id=a&scope=");
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: "invalid_request",
      error_description: fositeDescription(
        "invalid_request",
        "Unable to parse HTTP body, make sure to send a properly formatted form request body.",
      ),
    });
    expectClosed(answer);
  });

  it("introspection: a urlencoded body's read error is dropped with ErrNotMultipart, leaving an empty r.PostForm; a multipart one's is the parse error", async () => {
    const [urlencoded, multipart] = await Promise.all([
      lateBody(hydra.adminUrl, "POST", "/admin/oauth2/introspect", FORM_TYPE, "token=abc"),
      lateBody(
        hydra.adminUrl,
        "POST",
        "/admin/oauth2/introspect",
        { "content-type": "multipart/form-data; boundary=b" },
        '--b\r\ncontent-disposition: form-data; name="token"\r\n\r\nabc',
      ),
    ]);
    expect(JSON.parse(urlencoded.body)).toEqual({
      error: "invalid_request",
      error_description: fositeDescription("invalid_request", "The POST body can not be empty."),
    });
    expect(JSON.parse(multipart.body)).toEqual({
      error: "invalid_request",
      error_description: fositeDescription(
        "invalid_request",
        "Unable to parse HTTP body, make sure to send a properly formatted form request body.",
      ),
    });
    expectClosed(multipart);
  });

  it("logout: ParseForm's error, as for a form that does not parse (consent/strategy_default.go issueLogoutVerifier)", async () => {
    const late = lateBody(hydra.publicUrl, "POST", "/oauth2/sessions/logout", FORM_TYPE, "state=a");
    const unparsable = await fetch(new URL("/oauth2/sessions/logout?a=%zz", hydra.publicUrl), {
      method: "POST",
      headers: FORM_TYPE,
      body: "",
      redirect: "manual",
    });
    const answer = await late;
    expect(unparsable.headers.get("location")).toContain("Logout+failed+because+the+%27POST%27+request+could+not+be+parsed.");
    expect([answer.status, answer.headers.get("location")]).toEqual([unparsable.status, unparsable.headers.get("location")]);
    expectClosed(answer);
  });

  it("/credentials with a Bearer token: the JSON decoder's read error is 'Unable to decode request body.' (oauth2/handler.go createVerifiableCredential)", async () => {
    const client = await createClient(hydra, { redirect_uris: [REDIRECT_URI], scope: "openid", grant_types: ["authorization_code"] });
    const token = (await codeExchange(hydra, client, "openid", "late-user")).body.access_token ?? "";
    const answer = await lateBody(
      hydra.publicUrl,
      "POST",
      "/credentials",
      { ...JSON_TYPE, authorization: `Bearer ${token}` },
      '{"format":',
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: "invalid_request",
      error_description: fositeDescription("invalid_request", "Unable to decode request body."),
    });
    expectClosed(answer);
  });
});

describe("oidc-provider's endpoints, read in front of it (fosite NewAccessRequest, NewRevocationRequest, newAuthorizeRequest: ParseMultipartForm)", () => {
  it("token and revocation: a urlencoded body's read error is dropped with ErrNotMultipart, leaving r.PostForm empty", async () => {
    const late = Promise.all([
      lateBody(hydra.publicUrl, "POST", "/oauth2/token", FORM_TYPE, "grant_type=client_credentials"),
      lateBody(hydra.publicUrl, "POST", "/oauth2/revoke", FORM_TYPE, "token=abc"),
      lateBody(hydra.publicUrl, "POST", "/oauth2/revoke", { "content-type": "multipart/form-data; boundary=b" }, "--b\r\n"),
    ]);
    const empty = fositeDescription("invalid_request", "The POST body can not be empty.");
    const inTime = await fetch(new URL("/oauth2/token", hydra.publicUrl), { method: "POST", headers: FORM_TYPE, body: "" });
    const [token, revocation, multipartRevocation] = await late;
    expect([token.status, JSON.parse(token.body)]).toEqual([400, { error: "invalid_request", error_description: empty }]);
    expect(token.body).toBe(await inTime.text());
    expect(token.headers.get("cache-control")).toBe(inTime.headers.get("cache-control"));
    expectClosed(token);
    // WriteRevocationResponse writes the bare ErrInvalidRequest (its default hint) in place of the hinted one.
    expect([revocation.status, JSON.parse(revocation.body)]).toEqual([
      400,
      { error: "invalid_request", error_description: fositeDescription("invalid_request") },
    ]);
    expect(JSON.parse(multipartRevocation.body)).toEqual({
      error: "invalid_request",
      error_description: fositeDescription("invalid_request"),
    });
    expectClosed(revocation);
  });

  it("a POST authorization request: the URL's parameters only, as for a body that arrived empty", async () => {
    const late = lateBody(hydra.publicUrl, "POST", "/oauth2/auth?response_type=code", FORM_TYPE, "client_id=abc");
    const inTime = await fetch(new URL("/oauth2/auth?response_type=code", hydra.publicUrl), {
      method: "POST",
      headers: FORM_TYPE,
      body: "",
      redirect: "manual",
    });
    const answer = await late;
    expect([answer.status, answer.headers.get("location")]).toEqual([inTime.status, inTime.headers.get("location")]);
    expectClosed(answer);
  });
});
