/**
 * `npm run dev` for one Next.js app: starts its CIAM and IAM dev servers side
 * by side from the same source, each with only its own domain's environment
 * (embedded-stack defaults) and its own dist dir. Ctrl-C stops both.
 *
 *   tsx scripts/dev-app.ts hera|athena
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { DOMAINS } from "@olympus/sdk/config";
import { embeddedAppEnv, withoutDomainVariables, type App } from "@olympus/sdk/config/embedded-defaults";

const app = process.argv[2];
if (app !== "hera" && app !== "athena") {
  console.error("usage: tsx scripts/dev-app.ts hera|athena");
  process.exit(2);
}
const appDir = path.resolve(import.meta.dirname, "..", "apps", app);
const nextBin = path.resolve(import.meta.dirname, "..", "node_modules", "next", "dist", "bin", "next");

const children: ChildProcess[] = DOMAINS.map((domain) => {
  const env = { ...withoutDomainVariables(process.env), ...embeddedAppEnv(domain, app as App), NEXT_DIST_DIR: `.next-dev-${domain}`, NEXT_TELEMETRY_DISABLED: "1" };
  const child = spawn(process.execPath, [nextBin, "dev", "--port", env.PORT as string], { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] });
  const tag = `[${app}:${domain}] `;
  const relay = (stream: NodeJS.WritableStream) => (chunk: Buffer) =>
    stream.write(chunk.toString().replace(/^(?=.)/gm, tag));
  child.stdout?.on("data", relay(process.stdout));
  child.stderr?.on("data", relay(process.stderr));
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`${tag}exited with code ${code}; stopping ${app}`);
      stop(code ?? 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code: number) {
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
