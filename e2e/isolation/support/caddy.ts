import type { UpstreamVariable } from "@olympus/platform/caddy-process";

export { startCaddy, UPSTREAM_VARIABLES, type HttpAnswer, type RunningCaddy, type UpstreamVariable } from "@olympus/platform/caddy-process";

/** The embedded stack's public services, where the Caddyfile's upstreams point when Caddy fronts it. */
export const DEVSTACK_UPSTREAMS: Record<UpstreamVariable, string> = {
  CIAM_HERA_UPSTREAM: "127.0.0.1:3000",
  CIAM_ATHENA_UPSTREAM: "127.0.0.1:3001",
  CIAM_HYDRA_PUBLIC_UPSTREAM: "127.0.0.1:3102",
  IAM_HERA_UPSTREAM: "127.0.0.1:4000",
  IAM_ATHENA_UPSTREAM: "127.0.0.1:4001",
  IAM_HYDRA_PUBLIC_UPSTREAM: "127.0.0.1:4102",
};
