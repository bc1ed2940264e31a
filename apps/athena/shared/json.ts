import { z } from "zod";

const record = z.record(z.string(), z.unknown());

/** The value as a plain JSON object, or an empty one: parsed, never cast. */
export function asRecord(value: unknown): Record<string, unknown> {
  const parsed = record.safeParse(value);
  return parsed.success ? parsed.data : {};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return record.safeParse(value).success;
}
