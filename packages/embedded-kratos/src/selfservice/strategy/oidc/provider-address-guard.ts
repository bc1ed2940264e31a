import { AsyncLocalStorage } from "node:async_hooks";
import diagnostics from "node:diagnostics_channel";
import { BlockList, Socket, type IPVersion, type SocketAddress } from "node:net";
import { prohibitedAddress, refusesInternalAddresses, type PrivateIpPolicy } from "@olympus/server-kit/http";
import { GUARD_INTERNALS, missingGuardInternals, setSocketBlockList, type GuardInternal } from "./provider-address-guard-self-check";

/**
 * The ssrf guard of Kratos' HTTP client on the provider calls (ory/x
 * httpx/ssrf.go as Kratos v26.2.0 vendors it in oryx/, driver/
 * registry_default.go HTTPClient): every connection's dialled address goes
 * through code.dny.dev/ssrf's Safe check — private, loopback and link-local
 * addresses refused under `clients.http.disallow_private_ip_ranges` unless
 * the request's URL matches one of `clients.http.private_ip_exception_urls`
 * (noInternalIPRoundTripper), the always-denied special ranges refused
 * either way (the allowInternalAllowIPv6 transport).
 *
 * The provider calls run on Node's fetch, whose sockets are not ours to
 * dial, so the check sits on them from the outside, for the hop being sent
 * (each redirect hop is judged by its own URL, as each RoundTrip is):
 *
 * - a socket opened for the hop gets a block list that Node consults right
 *   before each connect(2), with the address being connected — after DNS,
 *   so a name that resolves to a refused address is refused however it
 *   resolved the time before, and nothing reaches the address;
 * - a kept-alive socket the hop would reuse is checked by its peer address
 *   before the request's first byte is written (Go keeps one pool per
 *   transport, so a connection opened under another verdict is never
 *   reused); a refused one is closed unused.
 *
 * Either way the hop fails with the dial error Go's client reports
 * (`dial tcp <ip>:<port>: prohibited IP address: <why>`, see
 * `addressRefusalOf`).
 *
 * Those hooks are Node internals, so under `disallow_private_ip_ranges`
 * the first provider call of the process first checks they are there
 * (`provider-address-guard-self-check.ts`); without them every provider
 * call is refused (`GuardUnavailableError`) rather than sent unguarded.
 */

/** An address the guard refused, and code.dny.dev/ssrf's reason. */
export interface AddressRefusal {
  address: string;
  reason: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Whether the hop being sent now refuses internal addresses (undefined: no provider hop). */
const hopVerdicts = new AsyncLocalStorage<boolean>();
/** undici's request objects of provider hops, with their hop's verdict. */
const requestVerdicts = new WeakMap<object, boolean>();
/** The errors the guard failed connections with, and what it refused. */
const refusals = new WeakMap<object, AddressRefusal>();

/** A provider call refused because this process lacks what the guard needs to enforce `disallow_private_ip_ranges`. */
export class GuardUnavailableError extends Error {
  constructor(readonly missing: readonly GuardInternal[]) {
    super(
      `clients.http.disallow_private_ip_ranges is on, but this Node.js lacks what the provider calls' address guard relies on (${missing.join(", ")}): provider calls are refused`,
    );
    this.name = "GuardUnavailableError";
  }
}

let internalsChecked: Promise<readonly GuardInternal[]> | undefined;

/** The guard's internals this process lacks, probed once (outside any hop, so the probe's own request is not judged). */
export function guardInternalsMissing(): Promise<readonly GuardInternal[]> {
  internalsChecked ??= hopVerdicts.exit(() =>
    // A probe that failed itself proved nothing: all unverified.
    missingGuardInternals().catch((): readonly GuardInternal[] => GUARD_INTERNALS),
  );
  return internalsChecked;
}

/**
 * Sends one hop to `url` under the guard. A pattern of the exception list
 * that does not compile fails the hop before it is sent, as it fails
 * noInternalIPRoundTripper.RoundTrip. Under `disallow_private_ip_ranges`
 * the hop waits for the guard's self-check (`missingInternals`, once per
 * process) and is refused if the guard could not hold.
 */
export async function sendGuarded<T>(
  url: string,
  policy: PrivateIpPolicy,
  send: () => Promise<T>,
  missingInternals: () => Promise<readonly GuardInternal[]> = guardInternalsMissing,
): Promise<T> {
  const refusesInternal = refusesInternalAddresses(url, policy);
  if (policy.disallowPrivateIpRanges) {
    const missing = await missingInternals();
    if (missing.length > 0) throw new GuardUnavailableError(missing);
  }
  return hopVerdicts.run(refusesInternal, send);
}

/** The refusal behind a failed connection (the socket error under fetch's TypeError), if the guard refused it. */
export const addressRefusalOf = (socketError: unknown): AddressRefusal | undefined =>
  isRecord(socketError) ? refusals.get(socketError) : undefined;

/** ssrf's Safe as the block list of one socket: the first address refused is kept for the error. */
class ProhibitedAddresses extends BlockList {
  refused: AddressRefusal | undefined;

  constructor(private readonly refusesInternal: boolean) {
    super();
  }

  override check(address: string | SocketAddress, _type?: IPVersion): boolean {
    const text = typeof address === "string" ? address : address.address;
    const reason = prohibitedAddress(text, this.refusesInternal);
    if (reason === undefined) return false;
    // Go's dialer tries the next address and reports the first failure.
    this.refused ??= { address: text, reason };
    return true;
  }
}

// Published by net.Socket.connect before it looks the host up and connects: the socket opened for a provider hop.
diagnostics.subscribe("net.client.socket", (message) => {
  const refusesInternal = hopVerdicts.getStore();
  if (refusesInternal === undefined || !isRecord(message) || !(message.socket instanceof Socket)) return;
  const socket = message.socket;
  const guard = new ProhibitedAddresses(refusesInternal);
  // net.Socket's `blockList` (its constructor option, read by internalConnect for every address it connects to).
  setSocketBlockList(socket, guard);
  let connected = false;
  socket.once("connect", () => (connected = true));
  socket.prependOnceListener("error", (error: unknown) => {
    if (!connected && guard.refused && isRecord(error)) refusals.set(error, guard.refused);
  });
});

// Published as undici builds a request inside fetch, in the async context of the hop that sends it.
diagnostics.subscribe("undici:request:create", (message) => {
  const refusesInternal = hopVerdicts.getStore();
  if (refusesInternal !== undefined && isRecord(message) && isRecord(message.request))
    requestVerdicts.set(message.request, refusesInternal);
});

// Published before the request's head is written to the socket it got (a new one or a kept-alive one).
diagnostics.subscribe("undici:client:sendHeaders", (message) => {
  if (!isRecord(message) || !isRecord(message.request) || !(message.socket instanceof Socket)) return;
  const refusesInternal = requestVerdicts.get(message.request);
  if (refusesInternal === undefined) return;
  const address = message.socket.remoteAddress ?? "";
  const reason = prohibitedAddress(address, refusesInternal);
  if (reason === undefined) return;
  const error = new Error(`prohibited IP address: ${reason}`);
  refusals.set(error, { address, reason });
  message.socket.destroy(error);
});
