/**
 * After a fault: does everything the servers acknowledged still exist, and
 * exactly once? Read straight from the servers' databases (as the
 * superuser), so a duplicate that an API would hide behind a unique lookup
 * still shows.
 */
import pg from "pg";
import { SUPERUSER, SUPERUSER_PASSWORD } from "../postgres/cluster";
import type { Customer } from "./journeys";

export interface RecordAudit {
  acknowledged: number;
  /** Acknowledged and stored exactly once. */
  found: number;
  missing: string[];
  duplicated: string[];
}

function superuserUrl(port: number, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(SUPERUSER_PASSWORD)}@127.0.0.1:${port}/${database}`;
}

async function countBy(port: number, database: string, sql: string, keys: string[]): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: superuserUrl(port, database) });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; n: number }>(sql, [keys]);
    return new Map(rows.map((row) => [row.key, row.n]));
  } finally {
    await client.end();
  }
}

function audit(expected: Map<string, string>, counts: Map<string, number>): RecordAudit {
  const missing: string[] = [];
  const duplicated: string[] = [];
  for (const key of expected.keys()) {
    const n = counts.get(key) ?? 0;
    if (n === 0) missing.push(key);
    if (n > 1) duplicated.push(key);
  }
  return { acknowledged: expected.size, found: expected.size - missing.length - duplicated.length, missing, duplicated };
}

/** Every acknowledged CIAM registration: one identity with that email, with the id the server returned. */
export async function auditCustomers(postgresPort: number, customers: Customer[]): Promise<RecordAudit> {
  const expected = new Map(customers.map((c) => [c.email, c.identityId]));
  const counts = await countBy(
    postgresPort,
    "ciam_kratos",
    "SELECT traits->>'email' AS key, count(*)::int AS n FROM identities WHERE traits->>'email' = ANY($1) GROUP BY 1",
    [...expected.keys()],
  );
  const result = audit(expected, counts);
  // Exactly once is not enough if it is a different identity than the one acknowledged.
  const ids = await countBy(
    postgresPort,
    "ciam_kratos",
    "SELECT id::text AS key, count(*)::int AS n FROM identities WHERE id::text = ANY($1) GROUP BY 1",
    [...expected.values()],
  );
  for (const [email, id] of expected) if (!ids.has(id) && !result.missing.includes(email)) result.missing.push(`${email} (identity ${id})`);
  result.found = result.acknowledged - result.missing.length - result.duplicated.length;
  return result;
}

/** Every acknowledged OAuth2 client: one row with its name, under the id the server returned. */
export async function auditClients(postgresPort: number, clients: Map<string, string>): Promise<RecordAudit> {
  const byName = new Map([...clients].map(([id, name]) => [name, id]));
  const counts = await countBy(
    postgresPort,
    "ciam_hydra",
    "SELECT data->>'client_name' AS key, count(*)::int AS n FROM hydra_clients WHERE data->>'client_name' = ANY($1) GROUP BY 1",
    [...byName.keys()],
  );
  const result = audit(byName, counts);
  const ids = await countBy(
    postgresPort,
    "ciam_hydra",
    "SELECT id AS key, count(*)::int AS n FROM hydra_clients WHERE id = ANY($1) GROUP BY 1",
    [...clients.keys()],
  );
  for (const [name, id] of byName) if (!ids.has(id) && !result.missing.includes(name)) result.missing.push(`${name} (client ${id})`);
  result.found = result.acknowledged - result.missing.length - result.duplicated.length;
  return result;
}
