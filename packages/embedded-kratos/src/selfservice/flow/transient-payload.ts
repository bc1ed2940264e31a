import type { JsonObject } from "../../http/body";
import type { FieldError } from "../../identity/schema-registry";
import { isRawNumber } from "../../identity/jsonschema/json-number";
import { messages } from "../../ui/messages";
import type { StrategyContext } from "../strategy/strategy";
import type { Flow, FlowKind } from "./flow";
import { FlowValidationError } from "./validation-error";

/**
 * `transient_payload` as the strategies' method schemas type it
 * (selfservice/strategy/*\/.schema/*.schema.json: `"type": "object"`):
 * decoderx validates the payload against the schema before EnsureCSRF, so a
 * non-object is refused with the schema's type error on a `transient_payload`
 * node (ui/container ParseError → AddMessage, translateValidationError
 * "type": 4000026), alongside the schema's other refusals.
 */

/**
 * Where the field goes unchecked: method schemas that do not declare it
 * (passkey/.schema/login.schema.json and settings.schema.json), and the oidc
 * strategy, whose decoders (strategy_registration.go newLinkDecoder for login
 * and registration, strategy_settings.go decoderSettings) decode without
 * validating (HTTPDecoderSetValidatePayloads(false)).
 */
const UNCHECKED = new Set(["passkey:login", "passkey:settings", "oidc:login", "oidc:registration", "oidc:settings"]);

/** ory/jsonschema's jsonType of a decoded value. */
function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" || isRawNumber(value)) return "number";
  if (typeof value === "boolean" || typeof value === "string") return typeof value;
  return "object";
}

/** The schema's refusal of the submitted `transient_payload`, if any. */
export function transientPayloadProblems(strategyId: string, kind: FlowKind, body: JsonObject): FieldError[] {
  const value = body.transient_payload;
  if (value === undefined || UNCHECKED.has(`${strategyId}:${kind}`)) return [];
  const type = jsonTypeName(value);
  return type === "object" ? [] : [{ name: "transient_payload", message: messages.wrongType(["object"], type) }];
}

/**
 * The strategy's decode step (its `decode`, the method schema's refusals)
 * with the `transient_payload` check: both are one schema validation in
 * Kratos, so their field errors are answered together.
 */
export async function decodeSubmission<F extends Flow>(
  strategyId: string,
  kind: FlowKind,
  part: { decode?(flow: F, body: JsonObject, ctx: StrategyContext): Promise<void> | void },
  flow: F,
  body: JsonObject,
  ctx: StrategyContext,
): Promise<void> {
  const problems = transientPayloadProblems(strategyId, kind, body);
  try {
    await part.decode?.(flow, body, ctx);
  } catch (error) {
    // A refusal naming fields is the schema's; anything else (a strategy that is not responsible) answers alone.
    if (error instanceof FlowValidationError && problems.length > 0 && error.fieldErrors.every((e) => e.name !== undefined))
      throw new FlowValidationError([...error.fieldErrors, ...problems], error.echo);
    throw error;
  }
  if (problems.length > 0) throw new FlowValidationError(problems);
}

/** A strategy's `screen` where its method schema refuses nothing else a submission that is not its own can carry. */
export function refuseBySchema(strategyId: string, kind: FlowKind, body: JsonObject): void {
  const problems = transientPayloadProblems(strategyId, kind, body);
  if (problems.length > 0) throw new FlowValidationError(problems);
}
