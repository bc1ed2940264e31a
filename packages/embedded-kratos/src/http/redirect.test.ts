import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * Kratos sends every browser redirect with net/http's Redirect (server.go):
 * x/http.go sendFlowAsRedirectOrJSON for a new flow, x/redir/port_redirect.go
 * RedirectToPublicRoute for a self-service path on the admin port, errorx
 * ForwardError for the error UI. A GET gets text/html and the note
 * `<a href="…">See Other</a>.` with two newlines, a HEAD the Content-Type
 * only, any other method neither (Content-Length: 0).
 */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(base: string, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers: { Accept: "text/html" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

const htmlEscape = (text: string) => text.replace(/&/g, "&amp;");

let pg: TestPostgres;
let kratos: TestKratos;

beforeAll(async () => {
  ({ pg, kratos } = await startKratosWithPostgres("go_redirects"));
});
afterAll(() => stopKratosAndPostgres(kratos, pg));

describe("http.Redirect's answer on Kratos' redirects", () => {
  it("a browser flow's redirect to its UI carries the HTML note on a GET", async () => {
    const answer = await send(kratos.publicUrl, "GET", "/self-service/login/browser");
    expect(answer.status).toBe(303);
    const location = String(answer.headers.location);
    expect(location).toMatch(/\?flow=[0-9a-f-]{36}$/);
    expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(answer.body).toBe(`<a href="${htmlEscape(location)}">See Other</a>.\n\n`);
    expect(answer.headers["content-length"]).toBe(String(Buffer.byteLength(answer.body)));
  });

  it("the admin port's redirect to the public one is a 307 with the note, and no Content-Type for a POST", async () => {
    const get = await send(kratos.adminUrl, "GET", "/self-service/login/browser?refresh=true&x=<y>");
    expect(get.status).toBe(307);
    expect(get.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(get.body).toBe(
      `<a href="${String(get.headers.location).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}">Temporary Redirect</a>.\n\n`,
    );
    const post = await send(kratos.adminUrl, "POST", "/self-service/login?flow=x");
    expect(post.status).toBe(307);
    expect(post.headers["content-type"]).toBeUndefined();
    expect(post.headers["content-length"]).toBe("0");
    expect(post.body).toBe("");
  });

  it("a HEAD gets the Content-Type but no note", async () => {
    const head = await send(kratos.adminUrl, "HEAD", "/self-service/login/browser");
    expect(head.status).toBe(307);
    expect(head.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(head.headers["content-length"]).toBeUndefined();
  });
});
