import type { IncomingMessage, ServerResponse } from "node:http";
import type { KratosConfig } from "../config/load";

type CorsConfig = NonNullable<KratosConfig["serve"]["public"]["cors"]>;

function originAllowed(cors: CorsConfig, origin: string): boolean {
  return cors.allowed_origins.some((allowed) => {
    if (allowed === "*") return true;
    if (allowed.includes("*")) {
      const re = new RegExp(
        `^${allowed
          .split("*")
          .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join("[^/]*")}$`,
        "i",
      );
      return re.test(origin);
    }
    return allowed.toLowerCase() === origin.toLowerCase();
  });
}

/**
 * serve.public.cors: reflects allowed origins with credentials. Returns true
 * when the request was a preflight that has been answered.
 */
export function applyCors(cors: CorsConfig | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  if (!cors?.enabled) return false;
  const origin = req.headers.origin;
  res.setHeader("Vary", "Origin");
  if (!origin || !originAllowed(cors, origin)) return false;
  res.setHeader("Access-Control-Allow-Origin", origin);
  if (cors.allow_credentials) res.setHeader("Access-Control-Allow-Credentials", "true");
  if (cors.exposed_headers.length > 0) res.setHeader("Access-Control-Expose-Headers", cors.exposed_headers.join(", "));
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
    res.setHeader("Access-Control-Allow-Methods", cors.allowed_methods.join(", "));
    const requested = req.headers["access-control-request-headers"];
    res.setHeader("Access-Control-Allow-Headers", cors.allowed_headers.length > 0 ? cors.allowed_headers.join(", ") : (requested ?? ""));
    if (cors.max_age !== undefined) res.setHeader("Access-Control-Max-Age", String(cors.max_age));
    res.writeHead(204);
    res.end();
    return true;
  }
  return false;
}
