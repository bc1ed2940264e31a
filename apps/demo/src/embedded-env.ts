import { EMBEDDED_DEMO_CLIENT } from "@olympus/devstack/defaults";

/**
 * The embedded stack's values (`npm run dev`, the e2e journey): the client the
 * devstack seeds in CIAM Hydra, served on http://ciam.localhost:3002. Kept
 * out of config.ts so only `--embedded` loads the devstack's development
 * secrets; a deployed demo reads its DEMO_* variables alone.
 */
export function embeddedDemoEnv(): Record<string, string> {
  return {
    DEMO_ISSUER_URL: EMBEDDED_DEMO_CLIENT.issuer,
    DEMO_CLIENT_ID: EMBEDDED_DEMO_CLIENT.clientId,
    DEMO_CLIENT_SECRET: EMBEDDED_DEMO_CLIENT.clientSecret,
    DEMO_PUBLIC_URL: EMBEDDED_DEMO_CLIENT.publicUrl,
    DEMO_PORT: String(EMBEDDED_DEMO_CLIENT.port),
  };
}
