import "server-only";
import type { IdentitySchemaContainer } from "@olympus/ory-client/admin";
import { kratosAdmin } from "@/shared/server/ory";

const TTL_MS = 60_000;
let cached: { at: number; schemas: IdentitySchemaContainer[] } | undefined;

/** The domain's identity schemas; they change only with a Kratos deploy, so a minute's cache is safe. */
export async function identitySchemas(): Promise<IdentitySchemaContainer[]> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.schemas;
  const schemas = await kratosAdmin().listSchemas();
  cached = { at: Date.now(), schemas };
  return schemas;
}
