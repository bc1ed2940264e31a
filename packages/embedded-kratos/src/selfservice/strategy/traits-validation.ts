import type { JsonObject } from "../../http/body";
import { FlowValidationError } from "../flow/validation-error";
import type { StrategyContext } from "./strategy";
import { traitsToValidate } from "./submission";

/**
 * The submitted traits against the identity schema (fetching its http(s)
 * `$ref` documents), as the profile strategy's decoders validate them:
 * FlowValidationError with every problem.
 */
export async function requireValidTraits(schemaId: string, body: JsonObject, ctx: StrategyContext): Promise<void> {
  const schema = ctx.deps.identities.schemaOf(schemaId);
  const problems = await ctx.deps.identities.validateTraits(schemaId, traitsToValidate(schema, body));
  if (problems.length > 0) throw new FlowValidationError(problems);
}
