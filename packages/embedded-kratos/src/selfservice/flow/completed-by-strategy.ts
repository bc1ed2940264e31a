/**
 * Kratos' flow.ErrCompletedByStrategy: the strategy already wrote the answer
 * (e.g. sent the browser to a social sign-in provider) and saved the flow;
 * the flow handler stops without answering.
 */
export class CompletedByStrategy extends Error {
  override name = "CompletedByStrategy";
}
