import type { IncomingMessage } from "node:http";
import type { RouteInfo } from "@olympus/server-kit/http";
import type { Deps } from "../deps";
import type { Mapping } from "../public/mapping";
import { handleDeviceAuthorization } from "./authorization-endpoint";
import { DEVICE_PATHS } from "./urls";
import { handleDeviceVerification } from "./verification";

/** What the public port serves for the device flow (oauth2/handler.go SetPublicRoutes). */
export const DEVICE_ROUTES: RouteInfo[] = [
  { methods: ["POST"], pattern: DEVICE_PATHS.authorization },
  { methods: ["GET"], pattern: DEVICE_PATHS.verification },
];

/** Hydra's device endpoints; anything else under /oauth2/device/ (oidc-provider's own device pages) is not served. */
export async function mapDeviceRequest(deps: Deps, req: IncomingMessage, pathname: string): Promise<Mapping | undefined> {
  if (!pathname.startsWith("/oauth2/device/") && pathname !== "/oauth2/device") return undefined;
  if (pathname === DEVICE_PATHS.authorization && req.method === "POST") return handleDeviceAuthorization(deps, req);
  if (pathname === DEVICE_PATHS.verification && req.method === "GET") return handleDeviceVerification(deps, req);
  return { kind: "json", status: 404, body: { error: "Not Found", error_description: "The requested resource could not be found" } };
}
