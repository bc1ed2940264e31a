import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { answerParserError, answerUnreadBodiesAsNetHttp, applyGoServerTimeouts, SERVER_OPTIONS } from "@olympus/server-kit/http";
import { decoderNeedsMore, scanGoJson } from "@olympus/server-kit/go-json";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, readBodyOr, unreadableJsonBody } from "./body";
import { HttpContext } from "./context";
import { KratosError } from "./errors";
import { FirstValueEnd, readFirstJsonValue } from "./first-json-value";

/**
 * encoding/json stream.go Decoder.readValue over http.MaxBytesReader (as
 * jsonx.NewStrictDecoder(r.Body).Decode reads in identity/handler.go
 * create and batchPatchIdentities): the decoder reads until its first value
 * is complete, scans what a read handed it before it reports that read's
 * error, and never reads the rest. A real server with Go's read deadline
 * (server-kit read-deadline.ts), 500 ms here.
 */

const BASE = "http://127.0.0.1/";
const servers: Server[] = [];
/** The server with Go's read deadline (500 ms) and one without, for bodies of megabytes on a loaded machine. */
let latePort = 0;
let capPort = 0;

async function startServer(readTimeoutMs?: number): Promise<number> {
  const options =
    readTimeoutMs === undefined ? SERVER_OPTIONS : { ...SERVER_OPTIONS, headersTimeout: 300, connectionsCheckingInterval: 50 };
  const server = createServer(options, (req, res) => {
    const ctx = new HttpContext(req, res, BASE);
    const answer = async (): Promise<unknown> => {
      // decoderx decodeJSON's io.ReadAll, for comparison: it reads to the end whatever the value.
      if (req.url === "/read-all") return { length: (await readBodyOr(ctx, unreadableJsonBody)).length };
      const bytes = await readFirstJsonValue(ctx);
      return { value: bytes.subarray(0, scanGoJson(bytes, "decoder")).toString("utf8").trim().slice(0, 40) };
    };
    answer().then(
      (body) => res.end(JSON.stringify(body)),
      (error: unknown) => {
        res.statusCode = error instanceof KratosError ? error.answerStatus : 500;
        res.end(JSON.stringify({ thrown: error instanceof KratosError ? error.toBody() : String(error) }));
      },
    );
  });
  // read-deadline.ts is wired in answerParserError, as in the servers.
  server.on("clientError", answerParserError);
  answerUnreadBodiesAsNetHttp(server);
  if (readTimeoutMs !== undefined) applyGoServerTimeouts(server, { readTimeoutMs, writeTimeoutMs: 10_000, idleTimeoutMs: 120_000 });
  else server.requestTimeout = 0;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  latePort = await startServer(500);
  capPort = await startServer();
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

interface Exchange {
  status: number;
  headers: string;
  body: Record<string, unknown>;
  client: string;
}

/**
 * One request on its own connection: `head` fields after the request line,
 * then `body` written in 64 KiB pieces (not waiting for the server, which
 * may answer before it is all out). Resolves with the answer once the
 * server has sent it whole.
 */
function exchange(port: number, path: string, head: string, body: Buffer): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let client = "";
    let settled = false;
    const socket = connect(port, "127.0.0.1", () => {
      client = `${socket.localAddress ?? ""}:${socket.localPort ?? 0}`;
      socket.write(`POST ${path} HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n${head}\r\n`);
      for (let at = 0; at < body.length; at += 64 * 1024) socket.write(body.subarray(at, at + 64 * 1024));
    });
    const tryParse = () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      if (split < 0 || settled) return;
      const headers = text.slice(0, split);
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(headers)?.[1] ?? "-1");
      const rest = text.slice(split + 4);
      if (length < 0 || rest.length < length) return;
      settled = true;
      resolve({
        status: Number(headers.slice(9, 12)),
        headers,
        body: JSON.parse(rest.slice(0, length)) as Record<string, unknown>,
        client,
      });
      socket.destroy();
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      tryParse();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (!settled) reject(new Error(`closed without a whole answer: ${Buffer.concat(chunks).toString("latin1").slice(0, 200)}`));
    });
  });
}

const lengthHead = (length: number) => `Content-Length: ${length}\r\n`;
const padding = (size: number) => Buffer.alloc(size, " ");

describe("FirstValueEnd: where json.Decoder stops reading", () => {
  const endOf = (...chunks: string[]) => {
    const end = new FirstValueEnd();
    return chunks.findIndex((chunk) => end.feed(Buffer.from(chunk)));
  };

  it("ends an object or array when its brackets balance outside strings, a string with the byte after its closing quote", () => {
    expect(endOf('  {"a": "}]", "b": [1, {"c"', ': "\\"}"}]', "} trailing")).toBe(2);
    expect(endOf('"a \\"quoted', '\\\\" string" rest')).toBe(1);
    // stream.go readValue: scanEnd comes one byte late, and only `}` and `]` get the invented space.
    expect(endOf('"closed"', " ")).toBe(1);
    expect(endOf("[[]", "]")).toBe(1);
  });

  it("never ends a top-level number or literal early: Go needs the byte after it", () => {
    expect(endOf("12", "34 ", "true")).toBe(-1);
  });
});

describe("decoderNeedsMore: readValue scans what it was handed before the read's error", () => {
  it("a value complete in the bytes is decoded, a syntax error in them is Go's", () => {
    expect(decoderNeedsMore(Buffer.from('{"a":1} garbage'))).toBe(false);
    expect(decoderNeedsMore(Buffer.from('{"a":1,]'))).toBe(false);
  });

  it("whitespace only, a value cut short, and a number or literal ending with the bytes need the read", () => {
    for (const bytes of ["   ", '{"a":', "123", "  tru", "true", '"closed"']) expect(decoderNeedsMore(Buffer.from(bytes))).toBe(true);
    expect(decoderNeedsMore(Buffer.from("123 "))).toBe(false);
  });
});

describe("readFirstJsonValue: a body past the 5 MiB cap", () => {
  it("decodes a value that ends within the cap though the declared body goes on past it, and closes after the answer", async () => {
    const body = Buffer.concat([Buffer.from('{"schema_id":"default"}'), padding(MAX_BODY_BYTES + 1024)]);
    const answer = await exchange(capPort, "/first", lengthHead(body.length), body);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ value: '{"schema_id":"default"}' });
    // server.go writeHeader: 256 KiB or more left unread is not skipped.
    expect(answer.headers).toMatch(/\r\nConnection: close$/im);
  });

  it("answers at once when the value is whole and 256 KiB or more of the declared body never comes (Go knows the rest is too big)", async () => {
    // server.go chunkWriter.writeHeader: unreadDataSizeLocked() >= maxPostHandlerReadBytes is tooBig without a read.
    // No read deadline on this server: waiting for the rest would never answer (the fuzz run's `Content-Length: 99999999999`).
    const answer = await exchange(capPort, "/first", lengthHead(99_999_999_999), Buffer.from("{}"));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ value: "{}" });
    expect(answer.headers).toMatch(/\r\nConnection: close$/im);
  }, 10_000);

  it("decodes a chunked value that ends just before the cap, with garbage after it", async () => {
    const value = Buffer.from(`{"note":"${"x".repeat(MAX_BODY_BYTES - 20)}"}`);
    const body = Buffer.concat([value, Buffer.from("garbage".repeat(100_000))]);
    const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")]);
    const answer = await exchange(capPort, "/first", "Transfer-Encoding: chunked\r\n", chunked);
    expect(answer.status).toBe(200);
    expect(answer.body.value).toBe(`{"note":"${"x".repeat(31)}`);
  });

  it("answers a value still open at the cap with the read's error", async () => {
    const body = Buffer.from(`{"note":"${"x".repeat(MAX_BODY_BYTES)}"}`);
    const answer = await exchange(capPort, "/first", lengthHead(body.length), body);
    expect(answer.status).toBe(413);
    expect(answer.body.thrown).toMatchObject({ message: "http: request body too large" });
    expect(answer.headers).toMatch(/\r\nConnection: close$/im);
  });

  it("answers a syntax error before the cap with Go's syntax error, not the cap", async () => {
    const body = Buffer.concat([Buffer.from("[1, 2, }  "), padding(MAX_BODY_BYTES)]);
    const answer = await exchange(capPort, "/first", lengthHead(body.length), body);
    expect(answer.status).toBe(500);
    expect(String(answer.body.thrown)).toContain("invalid character '}' looking for beginning of value");
  });
});

describe("readFirstJsonValue: a body later than ReadTimeout", () => {
  it("decodes a value that arrived whole though the rest of the body never comes (the decoder never reads it)", async () => {
    const answer = await exchange(latePort, "/first", lengthHead(100), Buffer.from('{"a":[1,2]}'));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ value: '{"a":[1,2]}' });
    // The discard of the rest fails at the deadline: closeAfterReply.
    expect(answer.headers).toMatch(/\r\nConnection: close$/im);
  });

  it("answers a value still open at the deadline with Go's read error, at 499: the read cancelled the request's context", async () => {
    // net/http connReader.handleReadError cancels the context; herodot json.go WriteErrorCode then answers 499.
    const answer = await exchange(latePort, "/first", lengthHead(100), Buffer.from('{"a":[1,2'));
    expect(answer.status).toBe(499);
    expect(answer.body.thrown).toEqual({
      code: 500,
      status: "Internal Server Error",
      message: `read tcp 127.0.0.1:${latePort}->${answer.client}: i/o timeout`,
    });
    expect(answer.headers).toMatch(/\r\nConnection: close$/im);
  });

  it("readBodyOr hands the read's error to the handler's answer: decoderx decodeJSON's `Unable to read HTTP POST body: …`", async () => {
    const answer = await exchange(latePort, "/read-all", lengthHead(100), Buffer.from('{"a":1}'));
    expect(answer.status).toBe(499);
    expect(answer.body.thrown).toMatchObject({
      reason: `Unable to read HTTP POST body: read tcp 127.0.0.1:${latePort}->${answer.client}: i/o timeout`,
    });
    expect(answer.headers).toMatch(/\r\nConnection: close$/im);
  });
});
