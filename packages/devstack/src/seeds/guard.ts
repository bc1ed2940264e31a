import pg from "pg";
import { DevstackError, messageOf } from "../errors";
import type { OryServerConfig } from "../ory/configs";

const HINT = "each server must use its own role and database (see the dsn in platform/dev/<domain>-<service>/*.yml and any *_DSN variable)";

function refuse(reason: string): never {
  throw new DevstackError("seed-guard", `Seed guard: refusing to continue: ${reason}; ${HINT}`);
}

/**
 * The seeds' guard against a shared DATABASE_URL: before anything is created,
 * every server's DSN must name its own database and role, no two DSNs may be
 * the same, and — checked by really connecting — each role must reach its own
 * database and be refused on every other one in `servers`. Called with both
 * Kratos (the issue's requirement) and both Hydra servers.
 */
export async function verifyDatabaseIsolation(servers: readonly OryServerConfig[]): Promise<void> {
  for (const server of servers) {
    const { user, database } = server.parsedDsn;
    if (database !== server.expectedRole) {
      const owner = servers.find((other) => other !== server && other.expectedRole === database);
      refuse(
        `${server.label}'s DSN points at database "${database}"${owner ? `, which belongs to ${owner.label}` : ""}, not "${server.expectedRole}"`,
      );
    }
    if (user !== server.expectedRole) refuse(`${server.label}'s DSN logs in as role "${user}", not "${server.expectedRole}"`);
  }
  for (const [index, server] of servers.entries()) {
    for (const other of servers.slice(index + 1)) {
      if (identity(server) === identity(other)) refuse(`${server.label} and ${other.label} share one DSN`);
    }
  }
  for (const server of servers) {
    const own = await tryConnect(server.dsn);
    if (own.error !== undefined)
      refuse(`${server.label} cannot reach its own database "${server.expectedRole}" with its DSN (${own.error})`);
    if (own.database !== server.expectedRole || own.user !== server.expectedRole) {
      refuse(`${server.label}'s DSN reaches database "${own.database}" as "${own.user}"`);
    }
    for (const other of servers.filter((s) => s !== server)) {
      const crossing = await tryConnect(withDatabase(server.dsn, other.parsedDsn.database));
      if (crossing.error === undefined) {
        refuse(
          `${server.label}'s role "${server.parsedDsn.user}" can also connect to ${other.label}'s database "${other.parsedDsn.database}"`,
        );
      }
    }
  }
}

function identity(server: OryServerConfig): string {
  const { user, host, port, database } = server.parsedDsn;
  return `${user}@${host}:${port}/${database}`;
}

function withDatabase(dsn: string, database: string): string {
  const url = new URL(dsn);
  url.pathname = `/${database}`;
  return url.toString();
}

async function tryConnect(dsn: string): Promise<{ error?: string; database?: string; user?: string }> {
  const client = new pg.Client({ connectionString: dsn, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ database: string; user: string }>("select current_database() as database, current_user as user");
    return { database: rows[0]?.database, user: rows[0]?.user };
  } catch (error) {
    return { error: messageOf(error) };
  } finally {
    await client.end().catch(() => {});
  }
}
