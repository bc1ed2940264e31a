import { DevstackError } from "../errors";

export interface Dsn {
  user: string;
  password: string;
  host: string;
  port: number;
  database: string;
}

/** Parses a `postgres://user:password@host:port/database?…` URL; names `source` when it cannot. */
export function parseDsn(dsn: string, source: string): Dsn {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new DevstackError("config", `${source}: dsn is not a URL`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new DevstackError("config", `${source}: dsn must be a postgres:// URL, got ${url.protocol}//…`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  const user = decodeURIComponent(url.username);
  if (!user || !database || !url.hostname) {
    throw new DevstackError(
      "config",
      `${source}: dsn must name a user, a host and a database (postgres://user:password@host:port/database)`,
    );
  }
  return {
    user,
    password: decodeURIComponent(url.password),
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database,
  };
}

/** The same DSN on another server (tests on free ports, OLYMPUS_DEV_POSTGRES_URL): role, password and database stay. */
export function moveDsn(dsn: string, to: { host: string; port: number }): string {
  const url = new URL(dsn);
  url.hostname = to.host;
  url.port = String(to.port);
  return url.toString();
}

/** A DSN safe to print: the password is masked. */
export function redactDsn(dsn: string): string {
  try {
    const url = new URL(dsn);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(unparseable DSN)";
  }
}
