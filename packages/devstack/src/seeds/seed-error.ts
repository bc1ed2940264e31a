import { AdminApiError } from "@olympus/ory-client/bootstrap";
import { DevstackError } from "../errors";

/** A failed admin call stops the stack with one line, as every other start-up failure does. */
export function seedError(error: unknown): unknown {
  if (error instanceof AdminApiError) return new DevstackError("seed", `seed: ${error.message}`, { cause: error });
  return error;
}
