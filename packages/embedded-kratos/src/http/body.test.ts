import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyTooLargeError, MAX_BODY_BYTES, readRawBody, readSubmission } from "./body";
import { HttpContext } from "./context";
import { KratosError } from "./errors";

/**
 * Kratos cmd/daemon/serve.go wraps both ports in
 * http.MaxBytesHandler(handler, 5*1024*1024): a read past 5 MiB fails with
 * MaxBytesReader's `http: request body too large`, which each decoder turns
 * into its own answer. A real server: bodies arrive as Node delivers them.
 */

const BASE = "http://127.0.0.1/";
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const ctx = new HttpContext(req, res, BASE);
    const answer = async (): Promise<unknown> => {
      if (req.url === "/raw") return { length: (await readRawBody(ctx)).length };
      if (req.url === "/twice") return { lengths: [(await readRawBody(ctx)).length, (await readRawBody(ctx)).length] };
      const { fields, decodeError } = await readSubmission(ctx);
      return { fields: Object.keys(fields), decodeError: decodeError?.toBody(), answerStatus: decodeError?.answerStatus };
    };
    answer().then(
      (body) => res.end(JSON.stringify(body)),
      (error: unknown) =>
        res.end(
          JSON.stringify({
            thrown: error instanceof KratosError ? { ...error.toBody(), tooLarge: error instanceof BodyTooLargeError } : String(error),
          }),
        ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends `body` to `path`, with a Content-Length or chunked (in 64 KiB pieces), and returns the JSON answer. */
function send(path: string, body: Buffer, contentType: string, chunked = false): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "Content-Type": contentType };
    if (!chunked) headers["Content-Length"] = String(body.length);
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>));
    });
    // The server may answer and close before the whole body is out: that is the point of the cap.
    req.on("error", reject);
    for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
    req.end();
  });
}

/** A JSON object whose text is exactly `size` bytes. */
function jsonOfSize(size: number): Buffer {
  const shell = '{"traits":{"email":""}}';
  return Buffer.from(`{"traits":{"email":"${"x".repeat(size - shell.length)}"}}`);
}

describe("readRawBody: http.MaxBytesHandler(handler, 5*1024*1024)", () => {
  it("caps at 5 MiB exactly", () => {
    expect(MAX_BODY_BYTES).toBe(5 * 1024 * 1024);
  });

  it("reads a body between 1 MiB and 5 MiB whole, and one of exactly 5 MiB", async () => {
    expect(await send("/raw", jsonOfSize(2 * 1024 * 1024), "application/json")).toEqual({ length: 2 * 1024 * 1024 });
    expect(await send("/raw", jsonOfSize(MAX_BODY_BYTES), "application/json", true)).toEqual({ length: MAX_BODY_BYTES });
  });

  it("reads a body another reader took to its end as Go's spent body: empty at once, not waiting for events that will not come", async () => {
    for (const chunked of [false, true])
      expect(await send("/twice", Buffer.from("state=x&code=y"), "application/x-www-form-urlencoded", chunked)).toEqual({
        lengths: [14, 0],
      });
  });

  it("fails one byte past the cap as MaxBytesReader does, with a Content-Length or chunked", async () => {
    for (const chunked of [false, true]) {
      const answer = await send("/raw", jsonOfSize(MAX_BODY_BYTES + 1), "application/json", chunked);
      expect(answer.thrown).toMatchObject({ code: 413, message: "http: request body too large", tooLarge: true });
    }
  });
});

describe("readSubmission: the MaxBytesReader error as oryx decoderx meets it", () => {
  const tooLarge = Buffer.alloc(MAX_BODY_BYTES + 1, "a");
  // oryx decoderx/http.go requestBody: keepRequestBody (set by HTTPDecoderJSONFollowsFormFormat, which every
  // strategy's decode uses) reads the body with io.ReadAll before any decoder and wraps its error, a plain error:
  // herodot's ToDefaultError gives it code 500, answered at x.RecoverStatusCode's fallback 400 by the flows.
  const unreadable = {
    decodeError: { code: 500, status: "Internal Server Error", message: "unable to read body: http: request body too large" },
    answerStatus: 400,
  };

  it("JSON (decodeJSONForm): requestBody's `unable to read body: …` comes before json.Decoder", async () => {
    const answer = await send("/submission", jsonOfSize(MAX_BODY_BYTES + 1), "application/json");
    expect(answer).toEqual({ fields: [], ...unreadable });
  });

  it("a form (decodeForm): requestBody's error comes before Request.ParseForm, chunked or not", async () => {
    for (const chunked of [false, true]) {
      const answer = await send("/submission", tooLarge, "application/x-www-form-urlencoded", chunked);
      expect(answer).toEqual({ fields: [], ...unreadable });
    }
  });

  it("multipart: requestBody reads it too (ParseForm would leave it to ParseMultipartForm), so it fails the same way", async () => {
    const answer = await send("/submission", tooLarge, "multipart/form-data; boundary=x");
    expect(answer).toEqual({ fields: [], ...unreadable });
  });

  it("a multipart body within the cap is read and has no fields", async () => {
    const answer = await send("/submission", Buffer.from("--x--\r\n"), "multipart/form-data; boundary=x");
    expect(answer).toEqual({ fields: [] });
  });

  it("a form between 1 MiB and 5 MiB is decoded", async () => {
    const form = Buffer.from(`a=${"b".repeat(2 * 1024 * 1024)}`);
    expect(await send("/submission", form, "application/x-www-form-urlencoded")).toEqual({ fields: ["a"] });
  });
});
