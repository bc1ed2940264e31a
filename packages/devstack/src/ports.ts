import { createServer } from "node:net";
import { DevstackError } from "./errors";

export interface PortClaim {
  port: number;
  /** "CIAM Kratos admin API" */
  service: string;
}

/** Resolves true when nothing on this machine listens on `port` (127.0.0.1). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Checks every port before anything starts, so a taken port costs one clear
 * line instead of a half-started stack: "port 3101 (CIAM Kratos admin API) is
 * already in use".
 */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const seen = new Map<number, string>();
  for (const claim of claims) {
    const earlier = seen.get(claim.port);
    if (earlier) throw new DevstackError("config", `port ${claim.port} is configured for both ${earlier} and ${claim.service}`);
    seen.set(claim.port, claim.service);
  }
  for (const claim of claims) {
    if (!(await isPortFree(claim.port))) {
      throw new DevstackError(
        "port-in-use",
        `port ${claim.port} (${claim.service}) is already in use — stop whatever listens there (\`ss -ltnp 'sport = :${claim.port}'\`) or pick other ports`,
      );
    }
  }
}
