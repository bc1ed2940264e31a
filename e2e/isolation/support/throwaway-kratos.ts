import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Domain } from "@olympus/runtime-config/config";
import { EMBEDDED_ADMIN_API_TOKEN } from "@olympus/devstack/defaults";
import { freePort } from "@olympus/test-postgres";

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** One text edit to a copy of a platform/dev Kratos config: the way a boundary gets broken on purpose. */
export interface ConfigEdit {
  from: string;
  to: string;
}

export interface ThrowawayKratosOptions {
  /** Whose platform/dev/<domain>-kratos folder to copy (schemas and templates come along). */
  config: Domain;
  /** The database it uses (a running stack's role DSN). */
  dsn: string;
  /** The host browsers reach it on; its public base URL names it. */
  publicHost: string;
  /** Edits applied to kratos.yml after the ports are moved; each `from` must occur in the file. */
  edits?: readonly ConfigEdit[];
}

export interface ThrowawayKratos {
  /** Loopback URL (for Node). */
  publicUrl: string;
  /** Public base URL as browsers reach it (`http://<publicHost>:<port>`). */
  browserUrl: string;
  stop: () => Promise<void>;
}

/**
 * Starts an extra embedded Kratos from a copy of a domain's dev config with
 * its ports moved to free ones, so a test can run a deliberately broken setup
 * beside the real stack without touching it. It runs in its own process
 * (the package's CLI), like the servers it stands in for.
 */
export async function startThrowawayKratos(options: ThrowawayKratosOptions): Promise<ThrowawayKratos> {
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(path.join(os.tmpdir(), "olympus-broken-kratos-"));
  await cp(path.join(REPO_DIR, "platform", "dev", `${options.config}-kratos`), dir, { recursive: true });
  const file = path.join(dir, "kratos.yml");
  const own = options.config === "ciam" ? { hera: 3000, pub: 3100, admin: 3101 } : { hera: 4000, pub: 4100, admin: 4101 };
  const edits: ConfigEdit[] = [
    // The real one is reached through its Hera's proxy; this one is reached directly, on its own port.
    {
      from: `base_url: http://${options.config}.localhost:${own.hera}/.ory/kratos/`,
      to: `base_url: http://${options.publicHost}:${publicPort}/`,
    },
    { from: `port: ${own.pub}\n`, to: `port: ${publicPort}\n` },
    { from: `base_url: http://127.0.0.1:${own.admin}/`, to: `base_url: http://127.0.0.1:${adminPort}/` },
    { from: `port: ${own.admin}\n`, to: `port: ${adminPort}\n` },
    ...(options.edits ?? []),
  ];
  let text = await readFile(file, "utf8");
  for (const edit of edits) {
    // A silent no-op edit would leave the boundary intact and the companion proving nothing.
    if (!text.includes(edit.from)) throw new Error(`throwaway Kratos: "${edit.from.trim()}" is not in ${options.config}-kratos/kratos.yml`);
    text = text.replace(edit.from, edit.to);
  }
  await writeFile(file, text);

  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "--config", file], {
    cwd: path.join(REPO_DIR, "packages", "embedded-kratos"),
    // Its admin API guarded like the dev stack's (nothing here calls it).
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? os.tmpdir(),
      DSN: options.dsn,
      ADMIN_API_TOKEN: EMBEDDED_ADMIN_API_TOKEN[options.config],
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("embedded-kratos: public")) resolve();
      });
      child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
      child.once("exit", (code) => reject(new Error(`throwaway Kratos exited (${code}):\n${log}`)));
      setTimeout(() => reject(new Error(`throwaway Kratos did not start in 30 s:\n${log}`)), 30_000).unref();
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { publicUrl: `http://127.0.0.1:${publicPort}`, browserUrl: `http://${options.publicHost}:${publicPort}`, stop };
}
