import { createServer, type Server } from "node:http";
import type { HydraContext } from "../context";
import { sendError } from "../errors";
import { logRequests } from "../logging";
import { HEALTH_PATHS, handleHealth } from "./health";
import { mapHydraRequest } from "./hydra-paths";

/** The public port: health, Hydra's browser-facing glue, then oidc-provider. */
export function createPublicServer(hctx: HydraContext): Server {
  return createServer((req, res) => {
    logRequests(hctx.logger, "public", req, res);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const handle = async () => {
      if (HEALTH_PATHS.has(path)) return handleHealth(path, hctx.db, res);
      const mapping = await mapHydraRequest(hctx, req);
      if (mapping.kind === "redirect") {
        res.writeHead(302, { location: mapping.location, "cache-control": "no-store" });
        res.end();
        return;
      }
      // Resolved per request: key rotation swaps in a new provider instance.
      await hctx.providerCallback()(req, res);
    };
    handle().catch((error: unknown) =>
      sendError(res, error, (cause) => hctx.logger.log("error", "public request failed", { error: String(cause) })),
    );
  });
}
