import { startupConfig } from "@olympus/sdk/config";

export const dynamic = "force-dynamic";

/** Liveness for load balancers and the dev stack: which app, which domain. */
export function GET() {
  return Response.json({ status: "ok", app: "hera", domain: startupConfig().domain });
}
