import net from "node:net";

export type PostgresPing = { up: true; detail: string } | { up: false; detail: string };

/**
 * Whether a PostgreSQL server accepts connections, the way pg_isready asks:
 * a startup message, then the first answer. An authentication request — or
 * any error but "starting up / shutting down" (57P03) — means the server is
 * up; no credentials are needed or sent.
 */
export function pingPostgres(host: string, port: number, user: string, timeoutMs: number): Promise<PostgresPing> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let settled = false;
    const finish = (result: PostgresPing) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish({ up: false, detail: `no answer within ${timeoutMs} ms` }));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      finish({ up: false, detail: error.code === "ECONNREFUSED" ? "connection refused" : (error.code ?? error.message) }),
    );
    socket.on("connect", () => socket.write(startupMessage(user)));
    let received = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const type = String.fromCharCode(received[0] ?? 0);
      if (type === "R") return finish({ up: true, detail: "accepting connections" });
      if (type !== "E") return finish({ up: false, detail: `unexpected answer "${type}"; is this a PostgreSQL port?` });
      if (received.length < 5 || received.length < 1 + received.readInt32BE(1)) return; // wait for the whole message
      const code = errorField(received, "C");
      if (code === "57P03") return finish({ up: false, detail: "starting up or shutting down (57P03)" });
      finish({ up: true, detail: `accepting connections (answered ${code ?? "an error"} to an anonymous start-up)` });
    });
    socket.on("close", () => finish({ up: false, detail: "closed the connection without an answer" }));
  });
}

function startupMessage(user: string): Buffer {
  const parameters = Buffer.from(`user\0${user}\0database\0postgres\0\0`, "utf8");
  const message = Buffer.alloc(8 + parameters.length);
  message.writeInt32BE(message.length, 0);
  message.writeInt32BE(196_608, 4); // protocol 3.0
  parameters.copy(message, 8);
  return message;
}

/** A field of an ErrorResponse ('E', length, then type-byte + cstring pairs). */
function errorField(message: Buffer, field: string): string | undefined {
  let offset = 5;
  const end = 1 + message.readInt32BE(1);
  while (offset < end && message[offset] !== 0) {
    const type = String.fromCharCode(message[offset] ?? 0);
    const stop = message.indexOf(0, offset + 1);
    if (stop < 0) return undefined;
    if (type === field) return message.toString("utf8", offset + 1, stop);
    offset = stop + 1;
  }
  return undefined;
}
