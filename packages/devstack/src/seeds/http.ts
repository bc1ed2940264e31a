import type { z } from "zod";
import { DevstackError, messageOf } from "../errors";

export interface JsonResponse<T> {
  status: number;
  body: T | undefined;
}

/**
 * One admin-API call for the seeds. `accept` lists the statuses the caller
 * handles (e.g. 404 = "not there yet"); any other status stops the stack with
 * the method, URL and the server's error text.
 */
export async function callJson<T>(
  method: "GET" | "POST" | "PUT" | "PATCH",
  url: string,
  schema: z.ZodType<T>,
  options: { body?: unknown; accept?: number[] } = {},
): Promise<JsonResponse<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: "application/json", ...(options.body === undefined ? {} : { "content-type": "application/json" }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new DevstackError("seed", `seed: ${method} ${url} failed: ${messageOf(error)}`);
  }
  const text = await response.text();
  const accepted = options.accept ?? [200, 201];
  if (!accepted.includes(response.status)) {
    throw new DevstackError("seed", `seed: ${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  if (response.status >= 300 || text === "") return { status: response.status, body: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DevstackError("seed", `seed: ${method} ${url} answered ${response.status} with a body that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new DevstackError("seed", `seed: ${method} ${url} answered an unexpected body: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  return { status: response.status, body: parsed.data };
}
