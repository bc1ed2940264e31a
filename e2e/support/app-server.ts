import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withoutDomainVariables } from "@olympus/devstack/defaults";
import { preparedStandaloneServer, standaloneDir } from "@olympus/devstack/next-standalone";

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export type AppName = "hera" | "athena";

export interface RunningApp {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the existing production build of an app — its standalone server, as
 * the Docker image runs it — on loopback with exactly the given environment
 * on top of a clean one: no DOMAIN or CIAM_/IAM_ value leaks in from the test
 * runner.
 */
export function spawnApp(app: AppName, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  if (!env.PORT) throw new Error("spawnApp needs PORT in env");
  const server = preparedStandaloneServer(app, REPO_DIR);
  if (!server) throw new Error(`apps/${app} has no standalone build: run \`npm run build -w @olympus/${app}\` first`);
  const child = spawn(process.execPath, [server], {
    cwd: standaloneDir(app, REPO_DIR),
    // The standalone server binds HOSTNAME (the shell's is the machine's name) and reads PORT from env.
    env: { ...withoutDomainVariables(process.env), NEXT_TELEMETRY_DISABLED: "1", ...env, HOSTNAME: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  return { child, output: () => log };
}

/** Starts an app and waits until its health route answers. */
export async function startApp(app: AppName, env: Record<string, string>): Promise<RunningApp> {
  const { child, output } = spawnApp(app, env);
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${app} exited early (${child.exitCode}):\n${output()}`);
    const healthy = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { url, output, stop: () => stopChild(child) };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopChild(child);
  throw new Error(`${app} did not become healthy in 60s:\n${output()}`);
}

/** Waits for a process to exit on its own and returns its exit code. */
export function exitCode(child: ChildProcess, timeoutMs = 60_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("process did not exit in time"));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
