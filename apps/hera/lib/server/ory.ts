import "server-only";
import { startupConfig } from "@olympus/runtime-config/config";
import { HydraAdminClient } from "@olympus/ory-client/hydra";
import { KratosClient } from "@olympus/ory-client/kratos";
import { KRATOS_PROXY_PREFIX } from "./kratos-edge/edge";

let kratosClient: KratosClient | undefined;
let hydraClient: HydraAdminClient | undefined;

/** This instance's Kratos (its own domain only: the config holds no other). */
export function kratos(): KratosClient {
  if (!kratosClient) {
    const { kratos: urls, publicUrl, secrets } = startupConfig();
    kratosClient = new KratosClient({
      publicUrl: urls.publicUrl,
      adminUrl: urls.adminUrl,
      adminToken: secrets.adminApiToken,
      // Browsers reach Kratos through Hera's proxy, on Hera's host: flows created server-side say so too.
      browserUrl: `${publicUrl}${KRATOS_PROXY_PREFIX}`,
    });
  }
  return kratosClient;
}

/** This instance's Hydra admin API (login, consent and logout challenges). */
export function hydra(): HydraAdminClient {
  if (!hydraClient) {
    const { hydra: urls, secrets } = startupConfig();
    hydraClient = new HydraAdminClient(urls.adminUrl, secrets.adminApiToken);
  }
  return hydraClient;
}
