import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpContext } from "../../../http/context";
import { redirectToGet } from "./form-post";

/**
 * strategy.go redirectToGET, the POST callback of providers answering with
 * response_mode=form_post (Apple): Go's r.ParseForm (net/http request.go
 * ParseForm, parsePostForm; net/url ParseQuery, Values.Encode) decides what
 * reaches the GET callback. A real server; raw requests, so the request
 * target and the body are exactly as written.
 */

const PUBLIC = "https://auth.example/.ory/kratos/";
const CALLBACK = `${PUBLIC}self-service/methods/oidc/callback/apple`;
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    void redirectToGet(PUBLIC, new HttpContext(req, res, PUBLIC));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** POSTs `body` to the callback path plus `query`, answering the status and Location. */
function post(query: string, body: string, contentType: string | null = "application/x-www-form-urlencoded") {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/self-service/methods/oidc/callback/apple${query}`,
        headers: contentType === null ? {} : { "content-type": contentType },
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("redirectToGET: form fields become the GET callback's query as r.ParseForm and Values.Encode make them", () => {
  it("sends the fields to the GET callback under the public URL with a 302, keys sorted (Values.Encode)", async () => {
    expect(await post("", "state=s&code=c&user=%7B%22name%22%3A1%7D")).toEqual({
      status: 302,
      location: `${CALLBACK}?code=c&state=s&user=%7B%22name%22%3A1%7D`,
    });
  });

  it("a query value wins over the body's, and a repeated key keeps its last value (Form: body first, then query; q.Set)", async () => {
    expect((await post("?state=fromquery&x=1&x=2", "state=frombody&code=c&code=d")).location).toBe(
      `${CALLBACK}?code=d&state=fromquery&x=2`,
    );
  });

  it("escapes as url.QueryEscape: `~` kept, `*` escaped, a space as `+`", async () => {
    expect((await post("", "v=a b~*'")).location).toBe(`${CALLBACK}?v=a+b~%2A%27`);
  });

  it("a `;` in the query or a bad escape in the body fails ParseForm: the query stays as sent, the body is dropped", async () => {
    expect((await post("?state=s;x=1", "code=c")).location).toBe(`${CALLBACK}?state=s;x=1`);
    expect((await post("?state=s", "code=c&bad=%zz")).location).toBe(`${CALLBACK}?state=s`);
    expect((await post("?state=s", "code=c", "application/x-www-form-urlencoded; charset")).location).toBe(`${CALLBACK}?state=s`);
  });

  it("reads no body that is not a form: JSON or a body without Content-Type leaves only the query", async () => {
    expect((await post("?state=s", JSON.stringify({ code: "c" }), "application/json")).location).toBe(`${CALLBACK}?state=s`);
    expect((await post("?b=2&a=1", "code=c", null)).location).toBe(`${CALLBACK}?a=1&b=2`);
    // URL.ForceQuery: a target ending in its only `?` keeps it.
    expect((await post("?", "", "text/plain")).location).toBe(`${CALLBACK}?`);
  });
});
