import type { IncomingMessage, ServerResponse } from "node:http";
import { RouteTable, type RouteInfo } from "@olympus/server-kit/http";
import type { HttpMetrics } from "./http-metrics";

/**
 * prometheusx.GetLabelForPattern: the route's pattern with every parameter
 * as `{param}`. Requests no route takes are Hydra's not-found handler, "/".
 */
export class EndpointLabels {
  private readonly table = new RouteTable<string>({ emptySegments: "strict", headServedByGet: false, unstorableParam: "no-match" });

  constructor(routes: readonly RouteInfo[]) {
    for (const route of routes) {
      this.table.add(route.methods, route.pattern, route.pattern.replace(/:[^/]+/g, "{param}"));
    }
  }

  label(method: string, path: string): string {
    const found = this.table.match(method, path);
    return found.kind === "found" ? found.handler : "/";
  }
}

/** promhttp computeApproximateRequestSize: URL, method, protocol, header names and values, host, announced body length. */
function approximateRequestSize(req: IncomingMessage): number {
  let size = (req.url ?? "").length + (req.method ?? "").length + `HTTP/${req.httpVersion}`.length;
  const raw = req.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] ?? "";
    // Go keeps Host out of r.Header and counts r.Host instead.
    if (name.toLowerCase() !== "host") size += name.length + (raw[index + 1] ?? "").length;
  }
  size += (req.headers.host ?? "").length;
  const length = Number(req.headers["content-length"]);
  if (Number.isFinite(length) && length >= 0) size += length;
  return size;
}

type Write = ServerResponse["write"];
type End = ServerResponse["end"];

function chunkLength(chunk: unknown): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk);
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

/**
 * Records one request once its answer is sent. `path` is the path as
 * routed when the request arrived (before any rewriting; on the admin port
 * with the prefix Hydra's middleware adds before routing).
 */
export function instrumentRequest(
  metrics: HttpMetrics,
  labels: EndpointLabels,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  const started = process.hrtime.bigint();
  let bytes = 0;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    bytes += chunkLength(args[0]);
    return write(...args);
  }) as Write;
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== "function") bytes += chunkLength(args[0]);
    return end(...args);
  }) as End;
  res.once("finish", () => {
    const method = req.method ?? "";
    metrics.record({
      method,
      endpoint: labels.label(method, path),
      status: res.statusCode,
      durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      requestBytes: approximateRequestSize(req),
      responseBytes: bytes,
    });
  });
}
