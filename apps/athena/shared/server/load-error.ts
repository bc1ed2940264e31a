import "server-only";
import { isOryError } from "@olympus/ory-client/admin";

/** A page-level load failure, in words for the operator; details go to the server log only. */
export function describeLoadError(error: unknown): string {
  if (isOryError(error)) {
    const service = error.service === "kratos" ? "Kratos" : "Hydra";
    return error.kind === "unavailable"
      ? `${service} is not reachable right now.`
      : `${service} answered unexpectedly (${error.upstreamStatus ?? "?"}).`;
  }
  console.error(JSON.stringify({ level: "error", msg: "page load failed", error: error instanceof Error ? error.message : String(error) }));
  return "Something went wrong loading this page; see the server log.";
}
