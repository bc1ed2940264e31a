import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpMetrics } from "./http-metrics";

/** prometheusx.GetLabelForPattern over this kit's route patterns: every `:name` parameter as `{param}`. */
export function endpointLabelOf(pattern: string): string {
  return pattern.replace(/:[^/]+/g, "{param}");
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
 * prometheusx HTTPMetrics.Instrument around one request: counts the bytes
 * written and records the request under `endpoint` once its answer is
 * sent. `endpoint` is asked for then, with the request's method.
 */
export function instrumentResponse(
  metrics: HttpMetrics,
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: (method: string) => string,
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
      endpoint: endpoint(method),
      status: res.statusCode,
      durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      requestBytes: approximateRequestSize(req),
      responseBytes: bytes,
    });
  });
}
