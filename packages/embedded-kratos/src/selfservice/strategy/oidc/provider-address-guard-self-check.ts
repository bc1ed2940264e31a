import diagnostics from "node:diagnostics_channel";
import { createServer } from "node:http";
import { BlockList, Socket, type AddressInfo, type IPVersion, type SocketAddress } from "node:net";

/**
 * What the provider calls' address guard (`provider-address-guard.ts`)
 * needs from Node and its bundled fetch, none of which is a public promise:
 * a socket's `blockList` consulted before each connect(2), and the
 * diagnostics channels `net.client.socket`, `undici:request:create` and
 * `undici:client:sendHeaders` published with the objects the guard reads.
 * Were one gone after a Node upgrade, the guard would let every address
 * through without a word; this probe finds that out, once, by trying each
 * on a loopback server of its own.
 */

/** The Node internals the guard relies on, by the name an operator would look up. */
export const GUARD_INTERNALS = ["net.Socket blockList", "net.client.socket", "undici:request:create", "undici:client:sendHeaders"] as const;
export type GuardInternal = (typeof GUARD_INTERNALS)[number];

/** How the probe sends its request and opens its socket (the process' fetch and net.Socket; replaceable to test the probe). */
export interface GuardProbeTools {
  fetch: (url: string) => Promise<Response>;
  socket: () => Socket;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Gives `socket` a block list Node consults for every address it connects to (net.Socket's `blockList` option, set after construction). */
export function setSocketBlockList(socket: Socket, list: BlockList): void {
  Object.defineProperty(socket, "blockList", { value: list, writable: true, configurable: true });
}

/** A block list refusing every address, noting that it was asked. */
class RefuseAll extends BlockList {
  asked = false;
  override check(_address: string | SocketAddress, _type?: IPVersion): boolean {
    this.asked = true;
    return true;
  }
}

const PROBE_TIMEOUT_MS = 2000;

/** The internals the guard needs that this process lacks (none: the guard holds). */
export async function missingGuardInternals(
  tools: GuardProbeTools = { fetch: (url) => fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }), socket: () => new Socket() },
): Promise<GuardInternal[]> {
  let connections = 0;
  const server = createServer((_req, res) => res.end("ok"));
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const seen = new Set<GuardInternal>();
  const created = new WeakSet<object>();
  const onSocket = (message: unknown) => {
    if (isRecord(message) && message.socket instanceof Socket) seen.add("net.client.socket");
  };
  const onCreate = (message: unknown) => {
    if (isRecord(message) && isRecord(message.request)) {
      created.add(message.request);
      seen.add("undici:request:create");
    }
  };
  const onSendHeaders = (message: unknown) => {
    if (isRecord(message) && isRecord(message.request) && created.has(message.request) && message.socket instanceof Socket)
      seen.add("undici:client:sendHeaders");
  };
  diagnostics.subscribe("net.client.socket", onSocket);
  diagnostics.subscribe("undici:request:create", onCreate);
  diagnostics.subscribe("undici:client:sendHeaders", onSendHeaders);
  try {
    await tools
      .fetch(`http://127.0.0.1:${port}/`)
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
  } finally {
    diagnostics.unsubscribe("net.client.socket", onSocket);
    diagnostics.unsubscribe("undici:request:create", onCreate);
    diagnostics.unsubscribe("undici:client:sendHeaders", onSendHeaders);
  }
  const before = connections;
  if (await blockListHonoured(tools.socket(), port)) {
    // A connection that got through anyway (seen by the server a moment later) means the list was not honoured.
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (connections === before) seen.add("net.Socket blockList");
  }
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return GUARD_INTERNALS.filter((name) => !seen.has(name));
}

/** Whether a socket given a block list refusing everything is refused by it (ERR_IP_BLOCKED) rather than connected. */
function blockListHonoured(socket: Socket, port: number): Promise<boolean> {
  const list = new RefuseAll();
  setSocketBlockList(socket, list);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(false), PROBE_TIMEOUT_MS);
    const finish = (honoured: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(honoured);
    };
    socket.once("connect", () => finish(false));
    socket.once("error", (error: unknown) => finish(list.asked && isRecord(error) && error.code === "ERR_IP_BLOCKED"));
    socket.connect(port, "127.0.0.1");
  });
}
