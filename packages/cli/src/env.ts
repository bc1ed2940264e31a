import { z } from "zod";
import { configError } from "./errors";

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * One environment variable a command reads: its schema (which gives the
 * value's type and default) and the fix to print when it is missing or wrong.
 */
export interface Variable<T> {
  schema: z.ZodType<T>;
  /** What to set it to, e.g. "set it to IAM Kratos' admin API, e.g. http://iam-kratos:4101". */
  fix: string;
}

export function variable<T>(schema: z.ZodType<T>, fix: string): Variable<T> {
  return { schema, fix };
}

type Values<S extends Record<string, Variable<unknown>>> = { [K in keyof S]: S[K] extends Variable<infer T> ? T : never };

/**
 * Reads and validates every variable of `specs` (keys are the variable
 * names) at once. An empty value counts as unset. All problems are reported
 * together, one line each: "IAM_KRATOS_ADMIN_URL is not set; set it to …".
 */
export function readVariables<S extends Record<string, Variable<unknown>>>(env: Env, specs: S): Values<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const raw = env[name];
    const given = raw === undefined || raw.trim() === "" ? undefined : raw.trim();
    const parsed = spec.schema.safeParse(given);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name} ${given === undefined ? "is not set" : (parsed.error.issues[0]?.message ?? "is invalid")}; ${spec.fix}`);
  }
  if (problems.length > 0) throw configError(...problems);
  return values as Values<S>;
}

/** An http(s) URL without a trailing slash. */
export const httpUrl = () =>
  z
    .string()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), { error: "must be an http:// or https:// URL" })
    .transform((value) => value.replace(/\/+$/, ""));

export const emailAddress = () => z.email({ error: "must be an email address" }).transform((value) => value.toLowerCase());

/** The admin APIs' bearer token, when the deployment protects them (the rule Athena applies to ADMIN_API_TOKEN). */
export const adminToken = () => z.string().min(32, { error: "must be at least 32 characters" }).optional();

export const environment = () =>
  z.enum(["production", "development"], { error: 'must be "production" or "development"' }).default("production");

/** Values copied from the docs and the dev stack, refused in production. */
export function looksLikeExample(value: string): boolean {
  return /change-?me|not-for-production/i.test(value);
}
