import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";

/**
 * Where a self-service body that decoderx refuses is answered. Kratos'
 * handlers (selfservice/flow/{login,registration,settings,recovery,
 * verification}/handler.go update*Flow) check the flow, the session and
 * expiry first; the strategies then decode the body
 * (flow.MethodEnabledAndAllowedFromRequest and the strategies' own
 * decoderx.Decode, ory/x decoderx/http.go validateRequest and
 * decodeJSONForm), and the refusal — a herodot 400 — goes through the flow's
 * ErrorHandler.WriteFlowError: ui/container ParseError makes its reason a
 * flow message (4000001), answered with the flow (400) or a redirect to the UI.
 */
interface Answer {
  status: number;
  location?: string;
  json: Record<string, unknown>;
}

const CONTENT_LENGTH_ZERO = 'Unable to decode HTTP Request Body because its HTTP Header "Content-Length" is zero.';

/** A raw request, so that Content-Length and chunked framing are exactly as given. */
function send(url: string, options: { headers?: Record<string, string>; body?: string; chunked?: boolean }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // Redirects carry no JSON.
        }
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, json });
      });
    });
    req.on("error", reject);
    if (options.chunked) {
      req.setHeader("Transfer-Encoding", "chunked");
      if (options.body) req.write(options.body);
    } else if (options.body !== undefined) {
      req.setHeader("Content-Length", Buffer.byteLength(options.body));
      req.write(options.body);
    } else req.setHeader("Content-Length", "0");
    req.end();
  });
}

const messagesOf = (json: Record<string, unknown>) =>
  ((json.ui as { messages?: { id: number; text: string }[] } | undefined)?.messages ?? []).map((m) => ({ id: m.id, text: m.text }));

describe("self-service bodies decoderx refuses: answered where the strategies decode (ory/x decoderx/http.go)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const database = "ciam_submission_decode";

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres(database)));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const apiFlow = async (kind: string) => {
    const res = await fetch(`${kratos.publicUrl}/self-service/${kind}/api`);
    return ((await res.json()) as { id: string }).id;
  };
  const submitUrl = (kind: string, id: string) => `${kratos.publicUrl}/self-service/${kind}?flow=${id}`;
  const json = { "Content-Type": "application/json", Accept: "application/json" };

  it("answers an empty body of every submit handler with the flow carrying validateRequest's Content-Length message", async () => {
    for (const kind of ["login", "registration", "recovery", "verification"]) {
      const id = await apiFlow(kind);
      const answer = await send(submitUrl(kind, id), { headers: json });
      expect({ kind, status: answer.status }).toEqual({ kind, status: 400 });
      expect(answer.json.id).toBe(id);
      expect(messagesOf(answer.json)).toEqual([{ id: 4000001, text: CONTENT_LENGTH_ZERO }]);
    }
  });

  it("answers an empty settings body after the session check, with the flow (settings/handler.go updateSettingsFlow)", async () => {
    const email = uniqueEmail("decode-settings");
    const reg = await send(submitUrl("registration", await apiFlow("registration")), {
      headers: json,
      body: JSON.stringify({ method: "password", password: STRONG_PASSWORD, traits: { email } }),
    });
    expect(reg.status).toBe(200);
    const token = String(reg.json.session_token);
    const id = (
      (await (await fetch(`${kratos.publicUrl}/self-service/settings/api`, { headers: { "X-Session-Token": token } })).json()) as {
        id: string;
      }
    ).id;
    // Without the session the session check answers first.
    expect((await send(submitUrl("settings", id), { headers: json })).status).toBe(401);
    const answer = await send(submitUrl("settings", id), { headers: { ...json, "X-Session-Token": token } });
    expect(answer.status).toBe(400);
    expect(messagesOf(answer.json)).toEqual([{ id: 4000001, text: CONTENT_LENGTH_ZERO }]);
  });

  it("checks expiry before the body (login/handler.go: f.Valid before the strategies)", async () => {
    const id = await apiFlow("login");
    await pg.query(`UPDATE selfservice_flows SET expires_at = now() - interval '2 minutes' WHERE id = $1`, [id], database);
    const answer = await send(submitUrl("login", id), { headers: json });
    expect(answer.status).toBe(410);
    expect(answer.json.error).toMatchObject({ id: "self_service_flow_expired" });
  });

  it("reads a missing Content-Length (no chunked framing) as zero, whatever the Content-Type (validateRequest checks the length first)", async () => {
    const id = await apiFlow("login");
    const answer = await send(submitUrl("login", id), { headers: { "Content-Type": "text/plain", Accept: "application/json" } });
    expect(answer.status).toBe(400);
    expect(messagesOf(answer.json)).toEqual([{ id: 4000001, text: CONTENT_LENGTH_ZERO }]);
  });

  it("decodes an empty chunked body (ContentLength -1): json.Decoder's EOF for JSON", async () => {
    const id = await apiFlow("login");
    const answer = await send(submitUrl("login", id), { headers: json, chunked: true });
    expect(answer.status).toBe(400);
    expect(messagesOf(answer.json)).toEqual([{ id: 4000001, text: "Unable to decode form as JSON." }]);
  });

  it("answers an unknown or missing Content-Type with validateRequest's message in the flow", async () => {
    const id = await apiFlow("registration");
    const csv = await send(submitUrl("registration", id), {
      headers: { "Content-Type": "text/csv", Accept: "application/json" },
      body: "a,b",
    });
    expect(csv.status).toBe(400);
    expect(messagesOf(csv.json)).toEqual([
      {
        id: 4000001,
        text: 'HTTP POST Request used unknown HTTP Header "Content-Type: text/csv", only [multipart/form-data application/x-www-form-urlencoded application/json] are supported.',
      },
    ]);
    // httpx.HasContentType: no Content-Type is application/octet-stream, which no decoder takes.
    const none = await send(submitUrl("registration", id), { headers: { Accept: "application/json" }, body: "method=password" });
    expect(messagesOf(none.json)).toEqual([
      {
        id: 4000001,
        text: 'HTTP POST Request used unknown HTTP Header "Content-Type: ", only [multipart/form-data application/x-www-form-urlencoded application/json] are supported.',
      },
    ]);
  });

  it("reads a multipart body as no fields (decodeForm's r.ParseForm leaves it to ParseMultipartForm)", async () => {
    const id = await apiFlow("login");
    const boundary = "b0undary";
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="method"\r\n\r\npassword\r\n--${boundary}--\r\n`;
    const answer = await send(submitUrl("login", id), {
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Accept: "application/json" },
      body,
    });
    expect(answer.status).toBe(400);
    // No `method`: no strategy is responsible (login/handler.go: schema.NewNoLoginStrategyResponsible).
    expect(messagesOf(answer.json).map((m) => m.id)).toEqual([4010002]);
  });

  it("sends a browser form post with an empty body to the UI with the message stored on the flow", async () => {
    const init = await fetch(`${kratos.publicUrl}/self-service/login/browser`, { redirect: "manual" });
    const id = new URL(init.headers.get("location") ?? "").searchParams.get("flow") ?? "";
    const cookie = (init.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
    const answer = await send(submitUrl("login", id), { headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie } });
    expect(answer.status).toBe(303);
    expect(answer.location).toContain(`flow=${id}`);
    const flow = (await (
      await fetch(`${kratos.publicUrl}/self-service/login/flows?id=${id}`, { headers: { Cookie: cookie } })
    ).json()) as Record<string, unknown>;
    expect(messagesOf(flow)).toEqual([{ id: 4000001, text: CONTENT_LENGTH_ZERO }]);
  });
});
