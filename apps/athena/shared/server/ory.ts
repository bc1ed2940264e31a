import "server-only";
import { HydraAdminClient, KratosAdminClient } from "@olympus/ory-client/admin";
import { athenaConfig } from "./config";

let kratos: KratosAdminClient | undefined;
let hydra: HydraAdminClient | undefined;

/** This domain's Kratos admin API, with the admin bearer token. Athena never holds the other domain's URLs. */
export function kratosAdmin(): KratosAdminClient {
  const config = athenaConfig();
  kratos ??= new KratosAdminClient({
    adminUrl: config.kratos.adminUrl,
    publicUrl: config.kratos.publicUrl,
    adminToken: config.secrets.adminApiToken,
  });
  return kratos;
}

/** This domain's Hydra admin API, with the admin bearer token. */
export function hydraAdmin(): HydraAdminClient {
  const config = athenaConfig();
  hydra ??= new HydraAdminClient(config.hydra.adminUrl, config.secrets.adminApiToken);
  return hydra;
}
