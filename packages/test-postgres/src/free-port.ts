import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Where test processes on this machine record the ports they were handed.
 * The kernel's "free port" (bind to 0) is free only at that instant: two
 * Vitest workers asking at the same moment, or one asking just after another
 * released its probe, can be handed the same port — which once failed CI with
 * "port … is already in use". A claim file per port, created exclusively,
 * makes a port belong to one live process until it exits.
 */
const CLAIMS_DIR = path.join(tmpdir(), "olympus-test-port-claims");
const claimed = new Set<number>();
let cleanupInstalled = false;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryCreate(file: string): boolean {
  try {
    writeFileSync(file, String(process.pid), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Claims `port` for this process unless a live process holds it; a dead holder's claim is taken over. */
function claim(port: number): boolean {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  const file = path.join(CLAIMS_DIR, String(port));
  if (tryCreate(file)) return true;
  let holder = Number.NaN;
  try {
    holder = Number(readFileSync(file, "utf8"));
  } catch {
    // Removed meanwhile: try once more below.
  }
  if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return false;
  rmSync(file, { force: true });
  return tryCreate(file);
}

function releaseClaimsOnExit(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once("exit", () => {
    for (const port of claimed) rmSync(path.join(CLAIMS_DIR, String(port)), { force: true });
  });
}

/** Asks the kernel for a port that is free right now (bind to 0, read it back, release it). */
function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not determine a free port"));
      });
    });
  });
}

/**
 * A free loopback port that no other test process on this machine (and no
 * earlier call in this one) is handed while this process lives.
 */
export function freePort(): Promise<number> {
  return claimFreePort(probePort);
}

/** freePort with the kernel probe given (tests hand in one that repeats itself, as the kernel may). */
export async function claimFreePort(probe: () => Promise<number>): Promise<number> {
  releaseClaimsOnExit();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = await probe();
    if (claimed.has(port) || !claim(port)) continue;
    claimed.add(port);
    return port;
  }
  throw new Error(`no unclaimed free port after 100 tries (claims in ${CLAIMS_DIR})`);
}
