import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

/** What the target answers on a path (`text`: the body's bytes as written, else `body` as JSON); `until` holds the answer back until it settles. */
export type Answer = { status: number; body?: unknown; text?: string; until?: Promise<void> };

/** A web hook target for tests: records what it is sent and answers what the test set for its path. */
export class HookTarget {
  readonly received: Received[] = [];
  answers: Record<string, Answer> = {};
  /** Answers given once each, in order, before `answers` applies (e.g. a 503 that makes the client retry). */
  queued: Record<string, Answer[]> = {};
  /** Body templates the target serves on GET, by path; `templateFetches` counts those requests. */
  readonly templates: Record<string, string> = {};
  templateFetches = 0;
  private server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const template = this.templates[req.url ?? "/"];
      if (req.method === "GET" && template !== undefined) {
        this.templateFetches += 1;
        res.end(template);
        return;
      }
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const path = req.url ?? "/";
        const text = Buffer.concat(chunks).toString("utf8");
        this.received.push({ path, headers: req.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        const answer = this.queued[path]?.shift() ?? this.answers[path] ?? { status: 204 };
        void (answer.until ?? Promise.resolve()).then(() => {
          res.writeHead(answer.status, { "Content-Type": "application/json" });
          res.end(answer.text ?? (answer.body === undefined ? "" : JSON.stringify(answer.body)));
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  reset(): void {
    this.received.length = 0;
    this.answers = {};
    this.queued = {};
  }

  to(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }
}

/** The body template: what the target sees of Kratos' template context; `error "cancel"` for addresses starting with "cancel". */
export const TEMPLATE = `function(ctx)
  if std.objectHas(ctx, "identity") && std.startsWith(ctx.identity.traits.email, "cancel") then error "cancel"
  else {
    flow_id: ctx.flow.id,
    flow_type: ctx.flow.type,
    flow_ui_nodes: std.length(ctx.flow.ui.nodes),
    identity: if std.objectHas(ctx, "identity") then ctx.identity else null,
    session_id: if std.objectHas(ctx, "session") then ctx.session.id else null,
    headers: ctx.request_headers,
    method: ctx.request_method,
    url: ctx.request_url,
    cookies: ctx.request_cookies,
  }`;
export const BODY = `base64://${Buffer.from(TEMPLATE).toString("base64")}`;

/** A `web_hook` entry posting the template to `url`. */
export function webHook(url: string, extra: Record<string, unknown> = {}) {
  return { hook: "web_hook", config: { url, method: "POST", body: BODY, ...extra } };
}
