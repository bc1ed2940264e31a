import { createOlympusPool } from "@olympus/athena-store/olympus-db";
import type { DomainEndpoints } from "./stack";

/**
 * Ages a self-service flow past its lifespan in Kratos' database: the shared
 * dev config keeps real lifespans (minutes to an hour), and no API shortens
 * one flow, so this is how a journey reaches "the flow expired" in seconds.
 */
export async function expireFlow(domain: DomainEndpoints, flowId: string): Promise<void> {
  const pool = createOlympusPool(domain.kratosDatabase, 1);
  try {
    const { rowCount } = await pool.query("UPDATE selfservice_flows SET expires_at = now() - interval '1 minute' WHERE id = $1", [flowId]);
    if (rowCount !== 1) throw new Error(`no flow ${flowId} in ${domain.kratosDatabase.replace(/\/\/[^@]*@/, "//")}`);
  } finally {
    await pool.end();
  }
}
