import type { IncomingMessage, ServerResponse } from "node:http";
import type { CorsOptions } from "./rs-cors";
import { applyHeaderLines, RsCors, type HeaderLines } from "./rs-cors";

const instances = new WeakMap<CorsOptions, RsCors>();

/**
 * serve.admin.cors as Hydra's admin port applies it (cmd/server/handler.go
 * adminServer): disabled, nothing; enabled, rs/cors in front of every route
 * answers preflights itself (204) and adds its headers to the rest.
 * Returns true when the request has been answered.
 */
export function applyAdminCors(options: CorsOptions, req: IncomingMessage, res: ServerResponse): boolean {
  if (!options.enabled) return false;
  let cors = instances.get(options);
  if (!cors) {
    cors = new RsCors(options);
    instances.set(options, cors);
  }
  const headers: HeaderLines = new Map();
  if (RsCors.isPreflight(req)) {
    cors.preflight(req, headers);
    applyHeaderLines(res, headers);
    res.writeHead(204).end();
    return true;
  }
  cors.actual(req, headers);
  applyHeaderLines(res, headers);
  return false;
}
