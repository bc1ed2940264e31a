import "server-only";
import { startupConfig } from "@olympus/sdk/config";
import { HydraAdminClient } from "@olympus/sdk/hydra";
import { KratosClient } from "@olympus/sdk/kratos";

let kratosClient: KratosClient | undefined;
let hydraClient: HydraAdminClient | undefined;

/** This instance's Kratos (its own domain only: the config holds no other). */
export function kratos(): KratosClient {
  if (!kratosClient) {
    const { kratos: urls, browser, secrets } = startupConfig();
    kratosClient = new KratosClient({
      publicUrl: urls.publicUrl,
      adminUrl: urls.adminUrl,
      adminToken: secrets.adminApiToken,
      browserUrl: browser.kratosPublicUrl,
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
