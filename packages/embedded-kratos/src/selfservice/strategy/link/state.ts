import { z } from "zod";
import { readStrategyState, writeStrategyState, type Flow } from "../../flow/flow";

/** What a flow remembers for the link strategy (its key in the flow's internal context). */
const linkStateSchema = z.object({
  /** The address as the person typed it, shown again in the form. */
  recovery_email: z.string().optional(),
  verification_email: z.string().optional(),
});
export type LinkState = z.infer<typeof linkStateSchema>;

export function linkState(flow: Flow): LinkState {
  return readStrategyState(flow, "link", linkStateSchema) ?? {};
}

export function updateLinkState(flow: Flow, patch: LinkState): void {
  writeStrategyState(flow, "link", { ...linkState(flow), ...patch });
}
