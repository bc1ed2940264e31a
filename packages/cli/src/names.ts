import { DEFAULT_INVITATION_LIFESPAN, KRATOS_DURATION, type PersonName } from "@olympus/ory-client/bootstrap";
import { z } from "zod";
import { emailAddress } from "./env";
import { usageError } from "./errors";

/** "Jane Doe" → {first: "Jane", last: "Doe"}; everything after the first word is the last name. */
export function parsePersonName(value: string | undefined): PersonName | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const [first = "", ...rest] = value.trim().split(/\s+/);
  return { first: first.slice(0, 100), last: rest.join(" ").slice(0, 100) };
}

export function parseEmailArgument(value: string, what: string): string {
  const parsed = emailAddress().safeParse(value.trim());
  if (!parsed.success) throw usageError(`${what} "${value}" is not an email address`);
  return parsed.data;
}

export function parseLifespan(value: string | undefined): string {
  if (value === undefined) return DEFAULT_INVITATION_LIFESPAN;
  if (!KRATOS_DURATION.test(value)) throw usageError(`--expires-in "${value}" is not a duration like 30m, 24h or 72h`);
  return value;
}

export function parseSeconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = z.coerce.number().int().min(0).max(3600).safeParse(value);
  if (!parsed.success) throw usageError(`${flag} "${value}" must be a whole number of seconds from 0 to 3600`);
  return parsed.data;
}
