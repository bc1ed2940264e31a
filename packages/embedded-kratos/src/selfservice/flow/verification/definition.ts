import { messages } from "../../../ui/messages";
import { addressFlowParts } from "../address-flow";
import type { FlowDefinition } from "../definition";
import type { VerificationFlow } from "../flow";

export const verificationFlow: FlowDefinition<VerificationFlow> = {
  ...addressFlowParts<VerificationFlow>("verification", (c) => c.selfservice.flows.verification, messages.verificationFlowExpired),
  is: (flow): flow is VerificationFlow => flow.kind === "verification",
  create: (fields) => ({ ...fields, kind: "verification" }),
};
