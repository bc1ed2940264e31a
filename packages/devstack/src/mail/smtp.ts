import { createServer, type Server, type Socket } from "node:net";

/** Who a mail was handed to in the SMTP conversation (MAIL FROM / RCPT TO). */
export interface SmtpEnvelope {
  from: string | undefined;
  to: string[];
}

export interface SmtpReceiverOptions {
  /** Called with each complete message (dot-unstuffed, CRLF line ends); the client is answered when it settles. */
  onMessage: (raw: Buffer, envelope: SmtpEnvelope) => Promise<void>;
  /** Largest message accepted, in bytes (advertised as SIZE). */
  maxBytes: number;
  /** Name in the greeting. */
  hostname?: string;
}

const IDLE_TIMEOUT_MS = 5 * 60_000;
const MAX_LINE_BYTES = 4096;
const MAX_RECIPIENTS = 1000;

/** `<user@example.com> SIZE=123` → `user@example.com`; `<>` (a bounce) → "". */
function pathAddress(argument: string): string | undefined {
  const match = /^\s*<([^>]*)>/.exec(argument) ?? /^\s*(\S+)/.exec(argument);
  return match ? (match[1] ?? "") : undefined;
}

/**
 * A receive-only SMTP server (RFC 5321) for a development mail catcher on
 * loopback: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, QUIT; no relay,
 * no authentication, no TLS (the couriers connect with
 * `disable_starttls=true`). Commands may be pipelined.
 */
export function createSmtpReceiver(options: SmtpReceiverOptions): Server {
  const hostname = options.hostname ?? "localhost";
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    converse(socket, options, hostname);
  });
  // A client's idle pooled connection must not hold up a stop.
  const close = server.close.bind(server);
  server.close = (callback) => {
    close(callback);
    for (const socket of sockets) socket.destroy();
    return server;
  };
  return server;
}

function converse(socket: Socket, options: SmtpReceiverOptions, hostname: string): void {
  let buffer: Buffer = Buffer.alloc(0);
  let from: string | undefined;
  let recipients: string[] = [];
  let greeted = false;
  /** Lines of the message being received, while in DATA. */
  let data: Buffer[] | undefined;
  let dataBytes = 0;
  let busy = false;
  let closed = false;

  const reply = (line: string) => {
    if (!closed && socket.writable) socket.write(`${line}\r\n`);
  };
  const reset = () => {
    from = undefined;
    recipients = [];
  };

  socket.setTimeout(IDLE_TIMEOUT_MS, () => {
    reply("421 4.4.2 idle too long, closing");
    socket.end();
  });
  socket.on("error", () => undefined);
  socket.on("close", () => {
    closed = true;
  });
  reply(`220 ${hostname} ESMTP Olympus dev mail catcher`);

  const finishData = async () => {
    const lines = data ?? [];
    data = undefined;
    const tooLarge = dataBytes > options.maxBytes;
    dataBytes = 0;
    const envelope = { from, to: recipients };
    reset();
    if (tooLarge) return reply("552 5.3.4 message exceeds the size limit");
    try {
      await options.onMessage(Buffer.concat(lines), envelope);
      reply("250 2.0.0 OK: message caught");
    } catch {
      reply("451 4.3.0 the message could not be stored");
    }
  };

  const command = (line: string): void => {
    const verb = line.slice(0, 4).toUpperCase();
    const argument = line.slice(4).trim();
    switch (verb) {
      case "EHLO":
        greeted = true;
        reset();
        return reply(`250-${hostname}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE ${options.maxBytes}`);
      case "HELO":
        greeted = true;
        reset();
        return reply(`250 ${hostname}`);
      case "MAIL": {
        if (!greeted) return reply("503 5.5.1 say EHLO first");
        if (from !== undefined) return reply("503 5.5.1 nested MAIL command");
        const address = /^FROM:/i.test(argument) ? pathAddress(argument.slice(5)) : undefined;
        if (address === undefined) return reply("501 5.5.4 syntax: MAIL FROM:<address>");
        const size = /\bSIZE=(\d+)/i.exec(argument);
        if (size && Number(size[1]) > options.maxBytes) return reply("552 5.3.4 message exceeds the size limit");
        from = address;
        return reply("250 2.1.0 OK");
      }
      case "RCPT": {
        if (from === undefined) return reply("503 5.5.1 need MAIL first");
        const address = /^TO:/i.test(argument) ? pathAddress(argument.slice(3)) : undefined;
        if (!address) return reply("501 5.5.4 syntax: RCPT TO:<address>");
        if (recipients.length >= MAX_RECIPIENTS) return reply("452 4.5.3 too many recipients");
        recipients.push(address);
        return reply("250 2.1.5 OK");
      }
      case "DATA":
        if (recipients.length === 0) return reply("503 5.5.1 need RCPT first");
        data = [];
        dataBytes = 0;
        return reply("354 end data with <CR><LF>.<CR><LF>");
      case "RSET":
        reset();
        return reply("250 2.0.0 OK");
      case "NOOP":
        return reply("250 2.0.0 OK");
      case "VRFY":
        return reply("252 2.1.5 cannot verify, will accept");
      case "QUIT":
        reply(`221 2.0.0 ${hostname} closing`);
        socket.end();
        return;
      default:
        return reply("502 5.5.2 command not implemented");
    }
  };

  /** Handles every complete line in the buffer, in order, one at a time. */
  const drain = async () => {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const end = buffer.indexOf(10);
        if (end < 0) {
          const limit = data === undefined ? MAX_LINE_BYTES : options.maxBytes + MAX_LINE_BYTES;
          if (buffer.length > limit) {
            reply(data === undefined ? "500 5.5.6 line too long" : "552 5.3.4 message exceeds the size limit");
            buffer = Buffer.alloc(0);
            socket.end();
          }
          return;
        }
        const lineEnd = end > 0 && buffer[end - 1] === 13 ? end - 1 : end;
        const line = buffer.subarray(0, lineEnd);
        buffer = buffer.subarray(end + 1);
        if (data !== undefined) {
          if (line.length === 1 && line[0] === 46) {
            await finishData();
            continue;
          }
          // Dot-stuffing: a leading "." was doubled by the client.
          const content = line[0] === 46 ? line.subarray(1) : line;
          dataBytes += content.length + 2;
          if (dataBytes <= options.maxBytes) data.push(Buffer.from(content), Buffer.from("\r\n"));
          continue;
        }
        command(line.toString("utf8"));
      }
    } finally {
      busy = false;
    }
  };

  socket.on("data", (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    void drain().then(() => {
      // Lines that arrived while a message was being stored.
      if (buffer.includes(10)) void drain();
    });
  });
}
