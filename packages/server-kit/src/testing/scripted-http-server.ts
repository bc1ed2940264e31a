import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { freePort } from "@olympus/test-postgres";
import { startedForSuite } from "./started-for-suite";

/** A request as the scripted server received it. */
export interface ScriptedRequest {
  method: string;
  /** The request target as sent: path and query. */
  path: string;
  headers: IncomingMessage["headers"];
  /** The whole body, filled in once it has arrived ("" until then, and for a request cut short). */
  body: string;
  /** When the request's head arrived (Date.now()), so tests can measure the waits between attempts. */
  receivedAt: number;
  /** Which request to this path it is, counting from 1: the attempt number for a client that retries. */
  nth: number;
}

/** A fixed answer: the status and body every request to the path gets. */
export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * A scripted answer written by the test itself, called once the request's
 * body has arrived: it may answer late, never, or cut the connection.
 */
export type ScriptedHandler = (request: ScriptedRequest, res: ServerResponse, req: IncomingMessage) => void;

export interface ScriptedHttpServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly base: string;
  /** What requests to `path` (path and query, exactly as sent) get from now on; an unscripted path gets an empty 404. */
  script(path: string, answer: ScriptedAnswer | ScriptedHandler): void;
  /** The requests to `path` so far, oldest first. */
  requests(path: string): ScriptedRequest[];
  /** Stops listening and cuts the connections still open (a handler may have left one hanging). */
  close(): Promise<void>;
}

/**
 * A throwaway HTTP server on a claimed loopback test port for tests of
 * outbound clients: each path answers as the test scripted it, and every
 * request is recorded. Start it in `beforeAll`, close it in `afterAll`
 * (useScriptedHttpServer does both).
 */
export async function startScriptedHttpServer(): Promise<ScriptedHttpServer> {
  const scripts = new Map<string, ScriptedAnswer | ScriptedHandler>();
  const received = new Map<string, ScriptedRequest[]>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    const earlier = received.get(path) ?? [];
    const request: ScriptedRequest = {
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body: "",
      receivedAt: Date.now(),
      nth: earlier.length + 1,
    };
    received.set(path, [...earlier, request]);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A client that gives up mid-body resets the connection; that is the client's business, not a test failure here.
    req.on("error", () => undefined);
    req.on("end", () => {
      request.body = Buffer.concat(chunks).toString();
      const answer = scripts.get(path) ?? { status: 404 };
      if (typeof answer === "function") answer(request, res, req);
      else res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    script: (path, answer) => void scripts.set(path, answer),
    requests: (path) => received.get(path) ?? [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A scripted server for the test file or `describe` block this is called
 * in: started in its `beforeAll`, closed in its `afterAll`; the handle works
 * from the first test on.
 */
export function useScriptedHttpServer(): ScriptedHttpServer {
  const current = startedForSuite("the scripted HTTP server", startScriptedHttpServer, (server) => server.close());
  return {
    get base() {
      return current().base;
    },
    script: (path, answer) => current().script(path, answer),
    requests: (path) => current().requests(path),
    close: () => current().close(),
  };
}
