import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Keeping bytes written straight to a socket behind the answers to
 * requests pipelined before them. Go's conn.serve reads one request,
 * answers it in full, then reads the next, so a refusal of the second
 * request (or of bytes that do not parse) always follows the first
 * request's whole response. Node parses ahead and queues the later
 * responses; a raw write would cut into the one still being written.
 */

/**
 * Runs `write` once `res` holds the connection: at once when no earlier
 * response is in flight, else when Node hands the socket on to it (the
 * ServerResponse's `socket` event, emitted when the responses queued ahead
 * of it have finished). Never, when the connection closes first.
 */
export function afterEarlierResponses(res: ServerResponse, write: () => void): void {
  if (res.socket) write();
  else res.once("socket", write);
}

/**
 * The response Node is writing on a socket, if any. Node keeps it as the
 * socket's `_httpMessage`, and its own clientError fallback reads it there
 * for the same reason (not to corrupt a response in flight).
 */
function responseInFlight(socket: Duplex): ServerResponse | null {
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  return inFlight && !inFlight.writableFinished ? inFlight : null;
}

/**
 * Runs `write` once every response to a request parsed before this point
 * has finished: Node hands the socket to the next queued response in its
 * own `finish` listener, registered before this one, so the socket's
 * response is looked at again after each.
 */
export function afterResponsesInFlight(socket: Duplex, write: () => void): void {
  const inFlight = responseInFlight(socket);
  // Bytes that fail to parse inside the body of the request being answered (a bad chunk size) end
  // that body for good: its handler may be waiting for the rest, so its response cannot be waited for.
  if (inFlight === null || !inFlight.req.complete) {
    write();
    return;
  }
  const onClose = () => inFlight.off("finish", onFinish);
  const onFinish = () => {
    socket.off("close", onClose);
    afterResponsesInFlight(socket, write);
  };
  inFlight.once("finish", onFinish);
  socket.once("close", onClose);
}
