/**
 * Readiness: whether an app instance can serve a request end to end right
 * now, as opposed to liveness (the process answers). Compose's healthchecks
 * ask for it, so Hera and Athena count as healthy only once the Kratos,
 * Hydra and olympus database they call are.
 */

/** How long one dependency may take to answer before it counts as unavailable. */
export const READINESS_TIMEOUT_MS = 2_000;

/** One dependency's probe: resolves when it is ready, rejects (or times out) when not. */
export type ReadinessProbe = (signal: AbortSignal) => Promise<void>;

export type ReadinessStatus = "ok" | "unavailable";

export interface ReadinessReport {
  ready: boolean;
  /** Each dependency by name. Only ok/unavailable: never an address, a status text or an error message. */
  checks: Record<string, ReadinessStatus>;
}

/**
 * Runs every probe at once, each bounded by `timeoutMs`; ready only when all
 * of them succeed. Why one failed is logged server-side, never returned.
 */
export async function checkReadiness(
  probes: Readonly<Record<string, ReadinessProbe>>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, ReadinessStatus]> => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      try {
        await Promise.race([probe(controller.signal), aborted(controller.signal)]);
        return [name, "ok"];
      } catch (error) {
        console.error(`readiness: ${name} is not ready: ${error instanceof Error ? error.message : String(error)}`);
        return [name, "unavailable"];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return { ready: entries.every(([, status]) => status === "ok"), checks };
}

/**
 * Kratos' and Hydra's own readiness endpoint, `GET <base>/health/ready`
 * (on either port; it answers 200 once the server and its database are up,
 * 503 otherwise). Redirects are not followed: an answer other than 200 is not ready.
 */
export function oryReadyProbe(baseUrl: string): ReadinessProbe {
  const url = `${baseUrl.replace(/\/$/, "")}/health/ready`;
  return async (signal) => {
    const response = await fetch(url, { signal, redirect: "manual", headers: { Accept: "application/json" } });
    await response.body?.cancel();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted")), { once: true });
  });
}

/** The Ory addresses an app instance calls: its domain's Kratos (public and admin) and Hydra admin. */
export interface OryAppEndpoints {
  kratos: { publicUrl: string; adminUrl: string };
  hydra: { adminUrl: string };
}

/**
 * An app instance (Hera or Athena) is ready when the three Ory APIs its server
 * calls answer ready at the addresses it was configured with, and the olympus
 * database answers on the pool it uses.
 */
export function oryAppReadiness(endpoints: OryAppEndpoints, database: ReadinessProbe, timeoutMs?: number): Promise<ReadinessReport> {
  return checkReadiness(
    {
      kratosPublic: oryReadyProbe(endpoints.kratos.publicUrl),
      kratosAdmin: oryReadyProbe(endpoints.kratos.adminUrl),
      hydraAdmin: oryReadyProbe(endpoints.hydra.adminUrl),
      database,
    },
    timeoutMs,
  );
}

/** `?ready` (any value) asks for readiness; without it `/api/health` stays a liveness answer. */
export function wantsReadiness(requestUrl: string): boolean {
  return new URL(requestUrl).searchParams.has("ready");
}
