import { randomInt } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Test ports that stay free until the test binds them. Two things can take
 * a "free" port between the moment it is handed out and the moment the
 * server under test binds it:
 * - another test process asking at the same moment. A claim per port makes
 *   a port belong to one live process until it exits (and this process never
 *   hands a port out twice).
 * - the kernel itself: outgoing connections (every Postgres and HTTP client
 *   socket) and listeners bound to port 0 get their port from the ephemeral
 *   range, so a port taken from that range can become a client's source
 *   port a moment later — which once failed CI with "port 38303 (mail
 *   catcher SMTP) is already in use". Test ports therefore come from below
 *   the ephemeral range, where the kernel never hands out a port by itself.
 */
const CLAIMS_DIR = path.join(tmpdir(), "olympus-test-port-claims");
const claimed = new Set<number>();
let cleanupInstalled = false;

/**
 * On Linux a claim is a listening socket in the abstract namespace: the kernel
 * refuses a second one while the first is open and drops it the moment its
 * process dies, however it dies. A claim file naming a pid cannot say that: a
 * process killed without running its exit handlers (a Vitest worker, a
 * SIGKILL) leaves its file behind, and once the pid is reused by any living
 * process the port stays blocked — which failed CI with "no unclaimed free
 * port after 100 tries".
 */
function claimBySocket(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const holder = createServer();
    holder.once("error", (error: NodeJS.ErrnoException) => (error.code === "EADDRINUSE" ? resolve(false) : reject(error)));
    holder.listen({ path: `\0olympus-test-port-${port}` }, () => {
      // Held until this process exits; it must not keep the process alive.
      holder.unref();
      resolve(true);
    });
  });
}

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

/**
 * Elsewhere (no abstract sockets) a claim is a file naming its pid: a dead
 * holder's claim is taken over, a reused pid keeps it until that process ends.
 */
function claimByFile(port: number): boolean {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  releaseClaimFilesOnExit();
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

function releaseClaimFilesOnExit(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once("exit", () => {
    for (const port of claimed) rmSync(path.join(CLAIMS_DIR, String(port)), { force: true });
  });
}

/** Claims `port` for this process unless another live process holds it. */
function claim(port: number): Promise<boolean> {
  return process.platform === "linux" ? claimBySocket(port) : Promise.resolve(claimByFile(port));
}

/** Where test ports come from: below the kernel's ephemeral range, above the ports services commonly use. */
export const TEST_PORT_FLOOR = 20_000;

/** The kernel's ephemeral port range (Linux reports it; elsewhere the IANA range macOS and Windows use). */
export function ephemeralPortRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) && low <= high) return { low, high };
  } catch {
    // Not Linux.
  }
  return { low: 49_152, high: 65_535 };
}

/** Resolves true when `port` can be bound on loopback right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port below the ephemeral range that nothing on this machine listens on right now. */
async function probePort(): Promise<number> {
  const ceiling = Math.min(ephemeralPortRange().low, 49_152) - 1;
  if (ceiling - TEST_PORT_FLOOR < 1000)
    throw new Error(`the ephemeral port range starts at ${ceiling + 1}: too low to leave test ports above ${TEST_PORT_FLOOR}`);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = randomInt(TEST_PORT_FLOOR, ceiling + 1);
    if (!claimed.has(port) && (await canBind(port))) return port;
  }
  throw new Error(`no bindable port between ${TEST_PORT_FLOOR} and ${ceiling} after 100 tries`);
}

/**
 * A free loopback port that no other test process on this machine (and no
 * earlier call in this one) is handed while this process lives.
 */
export function freePort(): Promise<number> {
  return claimFreePort(probePort);
}

/** freePort with the probe given (tests hand in one that repeats itself, as a probe may). */
export async function claimFreePort(probe: () => Promise<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = await probe();
    if (claimed.has(port) || !(await claim(port))) continue;
    claimed.add(port);
    return port;
  }
  throw new Error("no unclaimed free port after 100 tries");
}
