import diagnostics from "node:diagnostics_channel";
import { TLSSocket } from "node:tls";

/**
 * A TLS alert the provider sent, in the words of Go's crypto/tls: the
 * connection's read fails with `&net.OpError{Op: "remote error", Err:
 * alert}` (conn.go readRecordOrCCS), printed `remote error: tls: <text>`
 * (alert.go alert.String, alertText). During the handshake the http
 * transport returns it as it is; after it (TLS 1.3 sends a refused client
 * certificate's alert then) it is the first read's error, also unwrapped
 * (transport.go roundTrip drops transportReadFromServerError).
 *
 * OpenSSL under Node names a received alert in its error (`…:SSL alert
 * number 40`). During the handshake that error is the one fetch fails
 * with; after it, undici reports the closed socket (`other side closed`)
 * instead, so the alert each TLS socket received is recorded from Node's
 * `net.client.socket` channel and looked up by that socket.
 */

/** crypto/tls alert.go alertText. */
const ALERT_TEXT: Readonly<Record<number, string>> = {
  0: "close notify",
  10: "unexpected message",
  20: "bad record MAC",
  21: "decryption failed",
  22: "record overflow",
  30: "decompression failure",
  40: "handshake failure",
  42: "bad certificate",
  43: "unsupported certificate",
  44: "revoked certificate",
  45: "expired certificate",
  46: "unknown certificate",
  47: "illegal parameter",
  48: "unknown certificate authority",
  49: "access denied",
  50: "error decoding message",
  51: "error decrypting message",
  60: "export restriction",
  70: "protocol version not supported",
  71: "insufficient security level",
  80: "internal error",
  86: "inappropriate fallback",
  90: "user canceled",
  100: "no renegotiation",
  109: "missing extension",
  110: "unsupported extension",
  111: "certificate unobtainable",
  112: "unrecognized name",
  113: "bad certificate status response",
  114: "bad certificate hash value",
  115: "unknown PSK identity",
  116: "certificate required",
  120: "no application protocol",
  121: "encrypted client hello required",
};

const socketAlerts = new WeakMap<object, number>();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** The alert number in OpenSSL's error for an alert it received, if `error` is one. */
export function receivedAlert(error: unknown): number | undefined {
  if (!isRecord(error) || typeof error.code !== "string" || !error.code.startsWith("ERR_SSL_")) return undefined;
  const found = typeof error.message === "string" ? /SSL alert number (\d+)/.exec(error.message) : null;
  return found ? Number(found[1]) : undefined;
}

diagnostics.subscribe("net.client.socket", (message) => {
  if (!isRecord(message) || !(message.socket instanceof TLSSocket)) return;
  const socket = message.socket;
  socket.on("error", (error: unknown) => {
    const alert = receivedAlert(error);
    if (alert !== undefined && !socketAlerts.has(socket)) socketAlerts.set(socket, alert);
  });
});

/** The alert a socket received before it closed, if any. */
export const alertReceivedOn = (socket: object | undefined): number | undefined => (socket ? socketAlerts.get(socket) : undefined);

/** Go's `remote error: tls: <text>` (alert.String: `tls: alert(<n>)` for a number it has no text for). */
export const goRemoteAlertText = (alert: number): string => `remote error: tls: ${ALERT_TEXT[alert] ?? `alert(${alert})`}`;
