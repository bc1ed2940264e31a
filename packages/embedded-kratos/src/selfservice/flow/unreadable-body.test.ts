import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../testing/browser";
import { csrfOf } from "../../testing/flow-json";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { stalledRequest, type StalledAnswer } from "../../testing/stalled-request";

type Kind = "login" | "registration" | "settings" | "recovery" | "verification";
const KINDS: readonly Kind[] = ["login", "registration", "settings", "recovery", "verification"];

interface FlowJson {
  id: string;
  ui: { action: string; nodes: { attributes: unknown }[] };
}
interface ErrorJson {
  error: Record<string, unknown>;
}

const TOO_LARGE = "unable to read body: http: request body too large";
/** herodot ToDefaultError of a plain error: code 500 and its text, nothing else (no reason, no id). */
const plainError = (message: string) => ({ code: 500, status: "Internal Server Error", message });

/**
 * A self-service submission whose body Kratos cannot read: past
 * cmd/daemon/serve.go's http.MaxBytesHandler 5 MiB, or later than the
 * public port's ReadTimeout (15 s). The first strategy each flow asks
 * (password login, profile registration and settings, the link/code
 * recovery and verification strategies) decodes with decoderx, whose
 * requestBody (oryx decoderx/http.go, keepRequestBody) returns io.ReadAll's
 * error wrapped as `unable to read body: …`, a plain error. Each flow's
 * ErrorHandler.WriteFlowError (selfservice/flow/<kind>/error.go) finds no
 * herodot error in it (ui.Container.ParseError) and forwards it: native
 * flows get WriteErrorCode(x.RecoverStatusCode(err, 400)) — a 400 whose
 * herodot body keeps code 500 —, browser flows the error manager
 * (selfservice/errorx/manager.go Forward): stored and a 303 to the error UI.
 * A late body also cancels the request's context (net/http
 * connReader.handleReadError): herodot's writer then answers 499
 * (json.go WriteErrorCode) and the error container cannot be stored, so
 * browsers get the JSON too.
 */
describe("self-service bodies Kratos cannot read: decoderx's plain `unable to read body: …` through each flow's error handler", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let token = "";
  let signedIn: TestBrowser;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres("ciam_unreadable_body"));
    const email = uniqueEmail("unreadable");
    const { data: reg } = await kratos.frontend.createNativeRegistrationFlow();
    const { data } = await kratos.frontend.updateRegistrationFlow({
      flow: reg.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email, name: { first: "Ada", last: "L" } } },
    });
    token = data.session_token ?? "";
    signedIn = new TestBrowser();
    const login = (await signedIn.request(url("/self-service/login/browser"), { headers: json })).body as FlowJson;
    const done = await signedIn.request(login.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(login) },
    });
    expect(done.status).toBe(200);
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const json = { Accept: "application/json" };
  const url = (path: string) => `${kratos.publicUrl}${path}`;

  /** A native flow of `kind` (settings with the session token). */
  async function apiFlow(kind: Kind): Promise<FlowJson> {
    const res = await fetch(url(`/self-service/${kind}/api`), { headers: kind === "settings" ? { "X-Session-Token": token } : {} });
    expect(res.status).toBe(200);
    return (await res.json()) as FlowJson;
  }

  /** A browser flow of `kind` and the browser holding its cookies (the signed-in one for settings). */
  async function browserFlow(kind: Kind): Promise<{ browser: TestBrowser; flow: FlowJson }> {
    const browser = kind === "settings" ? signedIn : new TestBrowser();
    const res = await browser.request(url(`/self-service/${kind}/browser`), { headers: json });
    expect(res.status).toBe(200);
    return { browser, flow: res.body as FlowJson };
  }

  /** A JSON body one byte past the 5 MiB cap. */
  const overCapJson = () => {
    const shell = '{"method":"password","x":""}';
    return `{"method":"password","x":"${"x".repeat(5 * 1024 * 1024 + 1 - shell.length)}"}`;
  };
  const overCapForm = () => `method=password&x=${"x".repeat(5 * 1024 * 1024)}`;

  const post = (action: string, body: string, headers: Record<string, string>) =>
    fetch(action, { method: "POST", headers, body, redirect: "manual" });

  it("native flows, JSON, form or multipart past the cap: 400 with herodot's plain-error body, and the connection closes", async () => {
    for (const kind of KINDS) {
      const flow = await apiFlow(kind);
      const headers = { "Content-Type": "application/json", ...(kind === "settings" ? { "X-Session-Token": token } : {}) };
      const res = await post(flow.ui.action, overCapJson(), headers);
      expect({ kind, status: res.status }).toEqual({ kind, status: 400 });
      expect(res.headers.get("connection")).toBe("close");
      expect(((await res.json()) as ErrorJson).error).toEqual(plainError(TOO_LARGE));
    }
    const login = await apiFlow("login");
    const form = await post(login.ui.action, overCapForm(), { "Content-Type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(400);
    expect(((await form.json()) as ErrorJson).error).toEqual(plainError(TOO_LARGE));
    const registration = await apiFlow("registration");
    const multipart = await post(registration.ui.action, overCapForm(), { "Content-Type": "multipart/form-data; boundary=x" });
    expect(multipart.status).toBe(400);
    expect(((await multipart.json()) as ErrorJson).error).toEqual(plainError(TOO_LARGE));
  }, 120_000);

  it("browser forms past the cap: stored by the error manager, a 303 to the error UI, which shows the plain error", async () => {
    for (const kind of KINDS) {
      const { browser, flow } = await browserFlow(kind);
      const res = await post(flow.ui.action, overCapForm(), {
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: browser.cookieHeader(),
      });
      expect({ kind, status: res.status }).toEqual({ kind, status: 303 });
      const location = new URL(res.headers.get("location") ?? "");
      expect(`${location.origin}${location.pathname}`).toBe("http://ciam.localhost:3000/error");
      const stored = await fetch(url(`/self-service/errors?id=${location.searchParams.get("id") ?? ""}`));
      expect(((await stored.json()) as ErrorJson).error).toEqual(plainError(TOO_LARGE));
    }
  }, 120_000);

  it("browser flows, JSON past the cap: the plain error at 400 (Kratos' error manager writes login's and registration's at 500: never a 5xx here)", async () => {
    for (const kind of ["login", "registration", "settings", "recovery"] as const) {
      const { browser, flow } = await browserFlow(kind);
      const res = await post(flow.ui.action, overCapJson(), {
        ...json,
        "Content-Type": "application/json",
        Cookie: browser.cookieHeader(),
      });
      expect({ kind, status: res.status }).toEqual({ kind, status: 400 });
      expect(((await res.json()) as ErrorJson).error).toEqual(plainError(TOO_LARGE));
    }
  }, 120_000);

  /** A submission whose body stalls after `sent` of the 100 bytes it declares: the answer once ReadTimeout has passed. */
  function stalled(action: string, headers: Record<string, string>, sent: string) {
    const { hostname, port, pathname, search } = new URL(action);
    return stalledRequest(
      action,
      "POST",
      `${pathname}${search}`,
      { Host: `${hostname}:${port}`, "Content-Length": "100", ...headers },
      sent,
    );
  }

  it("a body later than ReadTimeout: 499 (the context is cancelled) with the read's `i/o timeout` as a plain error, browsers included", async () => {
    const jsonBody = { "Content-Type": "application/json" };
    const formBody = { "Content-Type": "application/x-www-form-urlencoded" };
    const requests: Promise<StalledAnswer>[] = [];
    for (const kind of KINDS) {
      const flow = await apiFlow(kind);
      requests.push(stalled(flow.ui.action, { ...jsonBody, ...(kind === "settings" ? { "X-Session-Token": token } : {}) }, '{"method":'));
    }
    for (const kind of ["login", "settings", "verification"] as const) {
      const { browser, flow } = await browserFlow(kind);
      requests.push(stalled(flow.ui.action, { ...formBody, Cookie: browser.cookieHeader() }, "method=password"));
    }
    // cmd/daemon/serve.go: ReadTimeout 15 s on the public port; all wait together.
    const answers = await Promise.all(requests);
    for (const answer of answers) {
      expect(answer.status).toBe(499);
      // net/http writeStatusLine: a code without StatusText.
      expect(answer.head.split("\r\n")[0]).toBe("HTTP/1.1 499 status code 499");
      expect(answer.head).toMatch(/\r\nConnection: close(\r\n|$)/i);
      expect((JSON.parse(answer.body) as ErrorJson).error).toEqual(
        plainError(`unable to read body: read tcp ${answer.server}->${answer.client}: i/o timeout`),
      );
    }
  }, 90_000);
});
