import type { OAuth2ClientDefinition } from "@olympus/ory-client/bootstrap";
import type { Domain } from "@olympus/runtime-config/config";
import { EMBEDDED_ATHENA_CLIENTS, EMBEDDED_DEMO_CLIENT } from "../embedded-defaults";
import type { DevstackPorts } from "../options";

/**
 * The seeds' configuration: development-only OAuth2 clients and their
 * secrets (NOT-FOR-PRODUCTION values, refused by production config). Client
 * ids carry their Hydra's domain as a prefix (`iam-` in IAM Hydra, `ciam-` in
 * CIAM Hydra), so no id exists on both sides. The shape is production's
 * (platform/prod/oauth2-clients.yml, registered by `olympus bootstrap`).
 */
export type OAuth2ClientSeed = OAuth2ClientDefinition;

export interface ClientSeeds {
  /** Registered in IAM Hydra: every Athena signs employees in there. */
  iam: OAuth2ClientSeed[];
  /** Registered in CIAM Hydra. */
  ciam: OAuth2ClientSeed[];
}

/** The demo relying party's development secret (from the SDK's embedded defaults, which apps/demo reads too, as Athena's). */
export const DEMO_RP_CLIENT_SECRET = EMBEDDED_DEMO_CLIENT.clientSecret;

export const ATHENA_CALLBACK_PATH = "/api/auth/callback/olympus-iam";
const SCOPE = "openid offline_access email profile";
const CODE_FLOW = { grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], scope: SCOPE } as const;

export function clientSeeds(ports: DevstackPorts): ClientSeeds {
  const athena = (domain: Domain): OAuth2ClientSeed => {
    const origin = `http://${domain}.localhost:${ports[domain].athena}`;
    // Id and secret are the ones each Athena is started with (embeddedAppEnv), so sign-in works out of the box.
    const { clientId, clientSecret } = EMBEDDED_ATHENA_CLIENTS[domain];
    return {
      client_id: clientId,
      client_name: `Athena ${domain.toUpperCase()}`,
      client_secret: clientSecret,
      redirect_uris: [`${origin}${ATHENA_CALLBACK_PATH}`],
      post_logout_redirect_uris: [`${origin}/`],
      ...CODE_FLOW,
      grant_types: [...CODE_FLOW.grant_types],
      response_types: [...CODE_FLOW.response_types],
      token_endpoint_auth_method: "client_secret_basic",
      // Olympus' own admin app: employees are not asked to consent to it.
      skip_consent: true,
      // Hera IAM reads this to treat the client as Olympus' own application.
      metadata: { first_party: true, app: "athena", manages_domain: domain },
    };
  };
  return {
    iam: [athena("ciam"), athena("iam")],
    ciam: [
      {
        client_id: EMBEDDED_DEMO_CLIENT.clientId,
        client_name: "Demo relying party",
        client_secret: DEMO_RP_CLIENT_SECRET,
        redirect_uris: [`${EMBEDDED_DEMO_CLIENT.publicUrl}/callback`],
        post_logout_redirect_uris: [`${EMBEDDED_DEMO_CLIENT.publicUrl}/`],
        grant_types: [...CODE_FLOW.grant_types],
        response_types: [...CODE_FLOW.response_types],
        scope: SCOPE,
        token_endpoint_auth_method: "client_secret_basic",
        skip_consent: true,
        metadata: { first_party: false, demo: true },
      },
    ],
  };
}

export const ADMIN_NAME = { first: "Olympus", last: "Admin" } as const;
