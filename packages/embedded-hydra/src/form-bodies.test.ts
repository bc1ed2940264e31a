import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fositeDescription } from "./fosite-errors";
import { createMachineClient } from "./testing/device";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

/**
 * The request bodies Hydra's form endpoints read, as Go's net/http reads
 * them (request.go ParseForm, ParseMultipartForm; server-kit go-url
 * form.ts): only a urlencoded body (or, where ParseMultipartForm runs, a
 * multipart one) is a form — never JSON —, and a pair with a `;` or a bad
 * escape is left out. Raw bodies, so each is exactly as written.
 */

const UNPARSABLE = "Unable to parse HTTP body, make sure to send a properly formatted form request body.";
const EMPTY = "The POST body can not be empty.";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: { id: string; secret: string };

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createMachineClient(hydra, "client_secret_basic");
});
afterAll(() => stopHydraAndPostgres(hydra, pg));

const basic = () => `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString("base64")}`;

async function send(url: URL, body: string | FormData, headers: Record<string, string>) {
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, body: await response.text() };
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const JSON_BODY = { "content-type": "application/json" };
const introspect = (body: string | FormData, headers: Record<string, string> = FORM) =>
  send(new URL("admin/oauth2/introspect", hydra.adminUrl), body, headers);
const deviceAuth = (body: string, headers: Record<string, string> = FORM, query = "") =>
  send(new URL(`oauth2/device/auth${query}`, hydra.publicUrl), body, { authorization: basic(), ...headers });
const revoke = (body: string | FormData, headers: Record<string, string> = FORM) =>
  send(new URL("oauth2/revoke", hydra.publicUrl), body, { authorization: basic(), ...headers });

async function accessToken(): Promise<string> {
  const answer = await send(new URL("oauth2/token", hydra.publicUrl), "grant_type=client_credentials&scope=jobs.run", {
    ...FORM,
    authorization: basic(),
  });
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

const active = async (token: string) => (JSON.parse((await introspect(`token=${token}`)).body) as { active: boolean }).active;
const refusal = (hint: string) => ({ error: "invalid_request", error_description: fositeDescription("invalid_request", hint) });

describe("introspection reads r.PostForm after r.ParseMultipartForm (Hydra oauth2/handler.go introspectOAuth2Token)", () => {
  it("reads no JSON body: its form is empty", async () => {
    const answer = await introspect(JSON.stringify({ token: await accessToken() }), JSON_BODY);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, refusal(EMPTY)]);
  });

  it("leaves out only the pairs url.ParseQuery refuses, its error hidden behind http.ErrNotMultipart", async () => {
    const token = await accessToken();
    // The scope pair does not parse, so no scope is asked for: the token is active.
    const answer = await introspect(`scope=%zz&token=${token}`);
    expect([answer.status, (JSON.parse(answer.body) as { active: boolean }).active]).toEqual([200, true]);
    // A token pair holding `;` is left out, and with it the whole form.
    const semicolon = await introspect(`token=${token};x`);
    expect([semicolon.status, JSON.parse(semicolon.body)]).toEqual([400, refusal(EMPTY)]);
  });

  it("reads a multipart body's values", async () => {
    const body = new FormData();
    body.append("token", await accessToken());
    const answer = await introspect(body, {});
    expect([answer.status, (JSON.parse(answer.body) as { active: boolean }).active]).toEqual([200, true]);
  });

  it("reads a multipart body as Go's mime/multipart ReadForm does (server-kit go-url/multipart.ts)", async () => {
    const token = await accessToken();
    const multipart = { "content-type": "multipart/form-data; boundary=b" };
    const part = (headers: string, value: string, nl = "\r\n") =>
      `--b${nl}Content-Disposition: form-data; name="token"${nl}${headers}${nl}${value}${nl}--b--${nl}`;
    // Bare LF line ends (isBoundaryDelimiterLine switches to them on the first delimiter line).
    const lf = await introspect(part("", token, "\n"), multipart);
    expect([lf.status, (JSON.parse(lf.body) as { active: boolean }).active]).toEqual([200, true]);
    // A quoted-printable part is decoded (multipart.go newPart).
    const encoded = [...Buffer.from(token)].map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
    const qp = await introspect(part("Content-Transfer-Encoding: quoted-printable\r\n", encoded), multipart);
    expect([qp.status, (JSON.parse(qp.body) as { active: boolean }).active]).toEqual([200, true]);
    // A control byte in a part header is textproto's "malformed MIME header line" since Go 1.20: ReadForm fails.
    const malformed = await introspect(part("X-Note: a\x01b\r\n", token), multipart);
    expect([malformed.status, JSON.parse(malformed.body)]).toEqual([400, refusal(UNPARSABLE)]);
  });
});

describe("device authorization reads r.PostForm after r.ParseForm (fosite device_request_handler.go NewDeviceRequest)", () => {
  it("reads no JSON body: its form is empty", async () => {
    const answer = await deviceAuth(JSON.stringify({ client_id: client.id, scope: "jobs.run" }), JSON_BODY);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, refusal(EMPTY)]);
  });

  it("refuses a body or a query url.ParseQuery refuses, or a Content-Type mime refuses", async () => {
    const form = `client_id=${encodeURIComponent(client.id)}&scope=jobs.run`;
    expect((await deviceAuth(form)).status).toBe(200);
    for (const [body, headers, query] of [
      [`${form}&x=%zz`, FORM, ""],
      [`${form}&x;y`, FORM, ""],
      [form, FORM, "?x=%zz"],
      [form, { "content-type": "application/x-www-form-urlencoded; charset" }, ""],
    ] as const) {
      const answer = await deviceAuth(body, headers, query);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([400, refusal(UNPARSABLE)]);
    }
  });
});

describe("revocation reads r.PostForm after r.ParseMultipartForm (fosite revoke_handler.go NewRevocationRequest)", () => {
  it("answers the bare ErrInvalidRequest before authenticating when no pair parses, or the body is JSON", async () => {
    const bare = { error: "invalid_request", error_description: fositeDescription("invalid_request") };
    for (const [body, headers] of [
      ["token=%zz", FORM],
      [JSON.stringify({ token: await accessToken() }), JSON_BODY],
    ] as const) {
      const answer = await revoke(body, headers);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([400, bare]);
    }
  });

  it("revokes with the pairs that parse", async () => {
    const token = await accessToken();
    const answer = await revoke(`x=%zz&token=${token}&y;z`);
    expect([answer.status, answer.body]).toEqual([200, ""]);
    expect(await active(token)).toBe(false);
  });

  it("revokes with a urlencoded body under a Content-Type whose parameter mime refuses (parsePostForm still reads it)", async () => {
    const token = await accessToken();
    const answer = await revoke(`token=${token}`, { "content-type": "application/x-www-form-urlencoded; charset" });
    expect([answer.status, answer.body]).toEqual([200, ""]);
    expect(await active(token)).toBe(false);
  });

  it("reads a multipart body's values; a query ParseForm refuses is ParseMultipartForm's error", async () => {
    const bare = { error: "invalid_request", error_description: fositeDescription("invalid_request") };
    const token = await accessToken();
    const body = new FormData();
    body.append("token", token);
    const refused = await send(new URL("oauth2/revoke?x=%zz", hydra.publicUrl), body, { authorization: basic() });
    expect([refused.status, JSON.parse(refused.body)]).toEqual([400, bare]);
    expect(await active(token)).toBe(true);
    const answer = await revoke(body, {});
    expect([answer.status, answer.body]).toEqual([200, ""]);
    expect(await active(token)).toBe(false);
  });

  it("answers 200 for a token it does not know once the client is authenticated (TokenRevocationHandler storeErrorsToRevocationError)", async () => {
    const answer = await revoke("token=no-such-token");
    expect([answer.status, answer.body]).toEqual([200, ""]);
  });
});
