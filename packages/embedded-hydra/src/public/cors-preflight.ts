import type { IncomingMessage } from "node:http";
import type { HydraConfig } from "../config/load";
import type { Mapping } from "./mapping";

type PublicCors = HydraConfig["serve"]["public"]["cors"];

/**
 * Hydra's CORS defaults for serve.public (driver/config/serve.go
 * defaultCORSOptions); only `enabled` and `allowed_origins` are configurable
 * here. rs/cors always allows `Origin` as a request header.
 */
const ALLOWED_METHODS = new Set(["POST", "GET", "PUT", "PATCH", "DELETE", "CONNECT", "HEAD", "OPTIONS", "TRACE"]);
const ALLOWED_HEADERS = new Set([
  "accept",
  "content-type",
  "content-length",
  "accept-language",
  "content-language",
  "authorization",
  "origin",
]);

/** rs/cors isOriginAllowed: `*`, an exact (case-insensitive) origin, or one with a single `*` wildcard. */
function originAllowed(allowed: string[], origin: string): boolean {
  const lower = origin.toLowerCase();
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase();
    if (pattern === "*" || pattern === lower) return true;
    const star = pattern.indexOf("*");
    if (star === -1) return false;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    return lower.length >= prefix.length + suffix.length && lower.startsWith(prefix) && lower.endsWith(suffix);
  });
}

/**
 * An OPTIONS request to a route Hydra registers as
 * `corsMiddleware(handleOptions)` (oauth2/handler.go SetPublicRoutes, e.g.
 * `/credentials`). With serve.public.cors enabled, the public server's rs/cors
 * middleware (cmd/server/handler.go publicServer) answers a preflight itself:
 * 204, `Vary`, and — for an allowed origin, method and request headers — the
 * origin, the requested method and headers, and credentials allowed.
 * Anything else reaches handleOptions, which writes nothing: 200, empty.
 */
export function answerOptions(cors: PublicCors, req: IncomingMessage): Mapping {
  const requestedMethod = req.headers["access-control-request-method"];
  if (!cors.enabled || typeof requestedMethod !== "string" || requestedMethod === "") return { kind: "empty", status: 200 };
  const headers: Record<string, string> = { vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" };
  const preflight: Mapping = { kind: "empty", status: 204, headers };
  const origin = req.headers.origin;
  if (!origin || !originAllowed(cors.allowed_origins, origin)) return preflight;
  if (!ALLOWED_METHODS.has(requestedMethod.toUpperCase())) return preflight;
  const rawHeaders = req.headers["access-control-request-headers"];
  const requestedHeaders = (typeof rawHeaders === "string" ? rawHeaders : "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (!requestedHeaders.every((name) => ALLOWED_HEADERS.has(name))) return preflight;
  headers["access-control-allow-origin"] = origin;
  headers["access-control-allow-methods"] = requestedMethod.toUpperCase();
  if (requestedHeaders.length > 0 && typeof rawHeaders === "string") headers["access-control-allow-headers"] = rawHeaders;
  headers["access-control-allow-credentials"] = "true";
  return preflight;
}
