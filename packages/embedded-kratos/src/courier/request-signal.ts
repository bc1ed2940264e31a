import type { IncomingMessage } from "node:http";
import { abandonmentSignal } from "@olympus/server-kit/http";

/**
 * Runs `render` with the flow request's context, as Kratos' senders hand
 * r.Context() to QueueEmail/QueueSMS and LoadText fetches a remote template
 * with it: a client that disconnects cancels a template fetch still waiting
 * (instead of leaving it to the client's retries, up to minutes). Watching
 * the connection stops once rendering ends.
 */
export async function withRequestSignal<T>(req: IncomingMessage, render: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abandoned = abandonmentSignal(req.socket);
  try {
    return await render(abandoned.signal);
  } finally {
    abandoned.dispose();
  }
}
