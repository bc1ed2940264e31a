import type { KratosConfig } from "../../config/load";
import { KratosError } from "../../http/errors";

/**
 * config.SelfServiceFlowIdentitySchema: the schema `?identity_schema=` asks a
 * login or registration flow to use. The default schema is always allowed;
 * any other must exist and be `selfservice_selectable` (400 otherwise).
 */
export function selfServiceFlowIdentitySchema(config: KratosConfig, requested: string): string {
  if (requested === config.identity.default_schema_id) return requested;
  const schema = config.identity.schemas.find((s) => s.id === requested);
  if (!schema) throw new KratosError(400, { reason: `Requested identity schema "${requested}" does not exist.` });
  if (!schema.selfserviceSelectable)
    throw new KratosError(400, { reason: `Requested identity schema "${requested}" is not enabled for self-service flows.` });
  return requested;
}
