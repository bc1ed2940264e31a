import "server-only";
import type { ReactNode } from "react";
import { isOryError } from "@olympus/ory-client/kratos";
import { Unavailable } from "@/components/unavailable";

/**
 * Renders a page, turning a Kratos/Hydra outage into the friendly
 * "temporarily unavailable" page with a retry of the same URL. Everything
 * else (including Next's redirects, which are thrown) passes through.
 */
export async function renderWithOry(retryHref: string, render: () => Promise<ReactNode>): Promise<ReactNode> {
  try {
    return await render();
  } catch (error) {
    if (!isOryError(error)) throw error;
    console.error(
      JSON.stringify({
        level: "error",
        msg: "ory call failed",
        error: error.id,
        status: error.upstreamStatus,
        page: retryHref.split("?")[0],
      }),
    );
    return <Unavailable retryHref={retryHref} />;
  }
}

/** The page's own URL (path and query) for a retry link. */
export function selfHref(path: string, params: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(name, v);
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
