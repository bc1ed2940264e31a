import { messages } from "../../../ui/messages";
import { addressFlowDefinition } from "../address-flow";

export const verificationFlow = addressFlowDefinition("verification", (c) => c.selfservice.flows.verification, messages.verificationFlowExpired);
