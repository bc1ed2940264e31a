import { z } from "zod";
import { parseDuration } from "./duration";

/**
 * `session.whoami.tokenizer.templates.<name>` as Kratos' config schema
 * (embedx/config.schema.json) declares it and driver/config/config.go
 * SessionTokenizeFormat reads it. `ttl` has a schema default of 1m, but
 * configx applies no defaults below `patternProperties`, so a template
 * without `ttl` decodes to Go's zero duration (the token expires as it is
 * issued); the same here.
 */
const GO_DURATION = /^([0-9]+(ns|us|ms|s|m|h))+$/;
// ory/jsonschema's "uri" format: url.Parse with a scheme.
const absoluteUri = z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:/, "must be a URI (file://, base64://, https://…)");

export const tokenizerTemplateSchema = z.object({
  ttl: z
    .string()
    .regex(GO_DURATION, "must be a duration such as 1m or 1h30m")
    .optional()
    .transform((value) => (value === undefined ? 0 : (parseDuration(value) ?? 0))),
  claims_mapper_url: absoluteUri.optional(),
  jwks_url: absoluteUri,
  subject_source: z.enum(["id", "external_id"]).default("id"),
});

export type TokenizerTemplate = z.infer<typeof tokenizerTemplateSchema>;

export const tokenizerSchema = z.object({ templates: z.record(z.string(), tokenizerTemplateSchema).default({}) }).prefault({});
