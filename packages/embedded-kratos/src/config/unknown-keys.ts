import { z } from "zod";

/**
 * Lists dotted paths present in `raw` that `schema` does not declare. Loose
 * objects declare "anything below is fine" and stop the walk.
 */
export function findUnknownKeys(schema: z.ZodType, raw: unknown, path: string[] = []): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    if (!isPlainObject(raw)) return [];
    const shape = inner.shape as Record<string, z.ZodType>;
    const catchall = inner.def.catchall;
    const loose = catchall !== undefined && !(catchall instanceof z.ZodNever);
    const unknown: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
      const child = shape[key];
      if (child) unknown.push(...findUnknownKeys(child, value, [...path, key]));
      else if (!loose) unknown.push([...path, key].join("."));
    }
    return unknown;
  }
  if (inner instanceof z.ZodArray && Array.isArray(raw)) {
    return raw.flatMap((item, i) => findUnknownKeys(inner.element as z.ZodType, item, [...path, String(i)]));
  }
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
