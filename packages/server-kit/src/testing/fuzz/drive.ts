import { sendRaw, type RawRequest, type RawResponse } from "./raw-http";

/** A generated request and the port (of the server's named ports) it goes to. */
export interface FuzzRequest<Port extends string = "public" | "admin"> extends RawRequest {
  port: Port;
  /** Which generator made it (for the summary). */
  kind: string;
}

export interface FuzzRun {
  /** How many answers had each status (0: no answer). */
  statuses: Map<number, number>;
  seconds: number;
}

/**
 * Sends `total` generated requests over `concurrency` connections at a time
 * and hands every answer to `inspect` (which collects failures and what
 * accepted answers announced). The generator decides everything else, so a
 * seeded generator makes the run reproducible up to interleaving.
 */
export async function sendFuzzRequests<Port extends string, R extends FuzzRequest<Port>>(options: {
  total: number;
  concurrency: number;
  next: () => R;
  ports: Record<Port, number>;
  inspect: (request: R, response: RawResponse) => void;
}): Promise<FuzzRun> {
  const statuses = new Map<number, number>();
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < options.total) {
      sent++;
      const request = options.next();
      const response = await sendRaw(options.ports[request.port], request);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      options.inspect(request, response);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { statuses, seconds: (performance.now() - started) / 1000 };
}

/** "200×12 404×3", by status. */
export function statusSummary(statuses: ReadonlyMap<number, number>): string {
  return [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(" ");
}
