import { goQueryParams } from "@olympus/server-kit/go-url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, createPerson, freshIp, nodeValue, WRONG_PASSWORD } from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeStack } from "@/lib/testing/edge-stack";
import { jsonFormFields } from "./json-form-fields";
import { kratosFlowId, withQueryFields } from "./query-fields";
import { kratosBodyDecoder, submittedFields } from "./request-body";
import { chargesFor, type KratosFlow } from "./submission";

/**
 * The edge reads a submission as Kratos v26.2.0 does, so what it prices is
 * what Kratos runs: the query and urlencoded bodies with Go's url.ParseQuery
 * (net/url), bodies by the decoder ory/x decoderx.Decode picks
 * (oryx/decoderx/http.go decodeJSONForm / decodeForm, httpx.HasContentType),
 * the flow by the UUID flow.GetFlowID resolves (gofrs/uuid FromStringOrNil).
 */

const FLOW_ID = "2b0a56b0-3f6c-4f2f-9d0a-5d4c1e9a7b10";
const v2Flow = (state: string): KratosFlow => ({ id: FLOW_ID, type: "api", state, ui: { nodes: [] } });
const bytes = (text: string) => new TextEncoder().encode(text);
const multipart = (entries: Record<string, string>) => {
  const boundary = "----edge-test-boundary";
  const body = Object.entries(entries)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join("");
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: bytes(`${body}--${boundary}--\r\n`) };
};

describe("the query as Go's url.ParseQuery reads it", () => {
  it("leaves out a pair holding `;` or a bad escape: `?email=decoy;&email=victim` mails the victim", () => {
    const query = goQueryParams("?flow=junk;&flow=b&email=decoy;&email=%zz&email=victim%40example.com");
    expect(query.get("flow")).toBe("b");
    const fields = withQueryFields("verification", "application/json", new Map([["method", ["code"]]]), query);
    expect(chargesFor("verification", "POST", fields, undefined, FLOW_ID)).toEqual([{ type: "mail", addresses: ["victim@example.com"] }]);
  });
});

describe("kratosFlowId: the flow Kratos resolves (x.ParseUUID)", () => {
  it("keys every spelling gofrs/uuid accepts by the canonical UUID", () => {
    for (const spelling of [
      FLOW_ID,
      FLOW_ID.toUpperCase(),
      `{${FLOW_ID}}`,
      `urn:uuid:${FLOW_ID}`,
      FLOW_ID.replaceAll("-", ""),
      `{${FLOW_ID.replaceAll("-", "").toUpperCase()}}`,
    ])
      expect(kratosFlowId(spelling)).toBe(FLOW_ID);
  });

  it("keeps a value Kratos cannot parse as sent, and none is no flow", () => {
    expect(kratosFlowId(`${FLOW_ID}\u0000`)).toBe(`${FLOW_ID}\u0000`);
    expect(kratosFlowId(` ${FLOW_ID}`)).toBe(` ${FLOW_ID}`);
    expect(kratosFlowId("")).toBeUndefined();
    expect(kratosFlowId(null)).toBeUndefined();
  });
});

describe("a body by the decoder Kratos picks for it", () => {
  it("matches the Content-Type only when mime.ParseMediaType takes it without error (httpx.HasContentType)", () => {
    expect(kratosBodyDecoder("application/json; charset=utf-8")).toBe("json");
    expect(kratosBodyDecoder(" Application/JSON ")).toBe("json");
    expect(kratosBodyDecoder("application/json; charset")).toBe("refused");
    expect(kratosBodyDecoder("application/json, text/plain")).toBe("refused");
    expect(kratosBodyDecoder("multipart/form-data; boundary=x")).toBe("form");
    expect(kratosBodyDecoder("application/x-www-form-urlencoded")).toBe("form");
    expect(kratosBodyDecoder("text/plain")).toBe("refused");
    expect(kratosBodyDecoder(null)).toBe("refused");
  });

  it("reads a urlencoded body with url.ParseQuery: no pair holding `;` or a bad escape", () => {
    const fields = submittedFields(
      "application/x-www-form-urlencoded",
      bytes("email=decoy;&email=%zz&email=victim%40example.com&method=code"),
    );
    expect(fields).toEqual(
      new Map([
        ["email", ["victim@example.com"]],
        ["method", ["code"]],
      ]),
    );
  });

  it("reads no field of a multipart body: ParseForm leaves it unparsed and nothing on Kratos' submit routes parses it", () => {
    const { contentType, body } = multipart({ method: "password", identifier: "a@example.com", password: "x" });
    expect(submittedFields(contentType, body)).toEqual(new Map());
  });

  it("prices a recovery v2 multipart submission by the query alone: a body's `screen=previous` does not hide the send", () => {
    const { contentType, body } = multipart({ screen: "previous" });
    const query = goQueryParams("?flow=x&recovery_confirm_address=victim%40example.com");
    const fields = withQueryFields("recovery", contentType, submittedFields(contentType, body) ?? new Map(), query);
    expect(chargesFor("recovery", "POST", fields, v2Flow("recovery_confirming_address"), FLOW_ID)).toEqual([
      { type: "mail", addresses: ["victim@example.com"] },
    ]);
  });
});

describe("jsonFormFields: a JSON body as decodeJSONForm reads it (gjson Result.String of each top-level member)", () => {
  it('takes an array or object for a string field as its raw JSON text: `screen: ["previous"]` is no going back', () => {
    const fields = jsonFormFields('{"screen": ["previous"], "recovery_confirm_address": "victim@example.com"}') ?? new Map();
    expect(fields.get("screen")).toEqual(['["previous"]']);
    expect(chargesFor("recovery", "POST", fields, v2Flow("recovery_confirming_address"), FLOW_ID)).toEqual([
      { type: "mail", addresses: ["victim@example.com"] },
    ]);
  });

  it("charges a password of any JSON shape, as Kratos checks its text (login.schema.json types it a string)", () => {
    for (const password of ["123", '["x"]', "[]", '{"a":1}', "{}", "true", "1.5e-7"]) {
      const fields = jsonFormFields(`{"method":"password","identifier":"ann@example.com","password":${password}}`) ?? new Map();
      expect(chargesFor("login", "POST", fields, undefined, FLOW_ID)).toEqual([
        { type: "attempt", attempt: "password", identifiers: ["ann@example.com"] },
      ]);
    }
    // null is "", which decodeURLValues leaves out: Kratos answers "required" and checks nothing.
    expect(
      chargesFor(
        "login",
        "POST",
        jsonFormFields('{"method":"password","identifier":"a","password":null}') ?? new Map(),
        undefined,
        FLOW_ID,
      ),
    ).toEqual([]);
  });

  it("gives numbers gjson's text and a member named twice its last value (url.Values.Set)", () => {
    expect(jsonFormFields('{"a":12345678901234567890,"b":1.5,"c":-7,"d":1e-7,"e":1e21,"f":-0.0,"g":null,"h":false,"a":"x"}')).toEqual(
      new Map([
        ["a", ["x"]],
        ["b", ["1.5"]],
        ["c", ["-7"]],
        ["d", ["0.0000001"]],
        ["e", ["1000000000000000000000"]],
        ["f", ["-0"]],
        ["g", [""]],
        ["h", ["false"]],
      ]),
    );
  });

  it("reads a top-level object's nested values under dotted names too (traits), besides its raw text", () => {
    expect(jsonFormFields('{ "traits" : { "email" : "a@example.com", "tags": ["x", "y"] }, "traits.email": "b@example.com" }')).toEqual(
      new Map([
        ["traits.email", ["a@example.com", "b@example.com"]],
        ["traits.tags", ["x", "y"]],
        ["traits", ['{ "email" : "a@example.com", "tags": ["x", "y"] }']],
      ]),
    );
    expect(jsonFormFields("[1]")).toEqual(new Map());
    expect(jsonFormFields("{")).toBeUndefined();
  });
});

describe("a flow spelled in upper case, through the edge (IAM)", () => {
  let stack: EdgeStack;
  beforeAll(async () => {
    stack = await startEdgeStack("iam", { limits: { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] } } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("reads Kratos' redirect back to the same flow as a failed guess, not a sign-in that clears the count", async () => {
    const { email } = await createPerson(stack);
    const ip = freshIp();
    const retries: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const browser = new Browser();
      const flow = (await (await browser.json(`${stack.hera.kratos}/self-service/login/browser`)).json()) as {
        id: string;
        ui: { nodes: { attributes: { name?: string; value?: unknown } }[] };
      };
      // Kratos answers a wrong password with a 303 to its login page for the flow, spelled canonically.
      const response = await browser.fetch(`${stack.hera.kratos}/self-service/login?flow=${flow.id.toUpperCase()}`, {
        method: "POST",
        headers: { Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
        body: new URLSearchParams({
          method: "password",
          identifier: email,
          password: WRONG_PASSWORD,
          csrf_token: nodeValue(flow, "csrf_token") ?? "",
        }).toString(),
      });
      expect(response.status).toBe(303);
      retries.push(response.headers.get("retry-after"));
    }
    // The IAM back-off starts at the 3rd failed guess: the 4th is refused.
    expect(retries.map((r) => r !== null)).toEqual([false, false, false, true]);
  });
});
