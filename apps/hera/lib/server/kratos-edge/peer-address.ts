import { randomBytes, timingSafeEqual } from "node:crypto";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";

/**
 * The address of the connection a request came in on. Next's route handlers
 * only see a Web `Request`, and the one address-like header Next fills in,
 * `X-Forwarded-For`, keeps whatever the client sent. So Hera stamps every
 * incoming request at the socket, before Next reads it, with a header that
 * carries a per-process secret and the peer's address: a client can send a
 * header of that name, but it is overwritten, and without the secret it
 * would not be believed anyway.
 */
export const PEER_ADDRESS_HEADER = "x-olympus-peer-address";

const STATE = Symbol.for("olympus.hera.peer-address");
interface StampState {
  secret: string;
  installed: boolean;
}

function state(): StampState {
  const holder = globalThis as typeof globalThis & { [STATE]?: StampState };
  holder[STATE] ??= { secret: randomBytes(24).toString("base64url"), installed: false };
  return holder[STATE];
}

/** Writes the stamp onto one incoming request (replacing any header of that name the client sent). */
export function stampPeerAddress(req: IncomingMessage): void {
  req.headers[PEER_ADDRESS_HEADER] = `${state().secret} ${req.socket?.remoteAddress ?? ""}`;
}

/**
 * Stamps every request every HTTP(S) server in this process receives, from
 * now on (Hera's instrumentation calls this at start-up, before it serves).
 */
export function installPeerAddressStamp(): void {
  const current = state();
  if (current.installed) return;
  for (const proto of [http.Server.prototype, https.Server.prototype] as {
    emit: (event: string | symbol, ...args: unknown[]) => boolean;
  }[]) {
    const original = proto.emit;
    proto.emit = function emitWithPeerStamp(this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request" && args[0]) stampPeerAddress(args[0] as IncomingMessage);
      return original.call(this, event, ...args);
    };
  }
  current.installed = true;
}

/** The connection's address, if the request carries this process' stamp; undefined otherwise (never a client's claim). */
export function peerAddressOf(headers: Headers): string | undefined {
  const value = headers.get(PEER_ADDRESS_HEADER);
  if (!value) return undefined;
  const space = value.indexOf(" ");
  if (space <= 0) return undefined;
  const given = Buffer.from(value.slice(0, space));
  const expected = Buffer.from(state().secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return value.slice(space + 1) || undefined;
}
