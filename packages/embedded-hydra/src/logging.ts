import type { IncomingMessage, ServerResponse } from "node:http";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

/** One line per event: JSON in "json" format, "key=value" text otherwise. */
export function createLogger(format: "text" | "json", write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return {
    log(level, message, fields = {}) {
      const time = new Date().toISOString();
      if (format === "json") {
        write(JSON.stringify({ time, level, msg: message, ...fields }));
        return;
      }
      const rest = Object.entries(fields)
        .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(" ");
      write(`${time} ${level.toUpperCase()} ${message}${rest ? ` ${rest}` : ""}`);
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };

/**
 * Logs method, path (never the query string: it carries codes, tokens,
 * challenges and verifiers), status and duration once the response is done.
 */
export function logRequests(logger: Logger, server: "public" | "admin", req: IncomingMessage, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  res.once("finish", () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const path = (req.url ?? "/").split("?")[0];
    logger.log("info", "request", {
      server,
      method: req.method,
      path,
      status: res.statusCode,
      duration_ms: Math.round(durationMs * 10) / 10,
    });
  });
}
