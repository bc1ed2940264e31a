import { messages } from "../../../ui/messages";
import { addressFlowDefinition } from "../address-flow";

export const recoveryFlow = addressFlowDefinition("recovery", (c) => c.selfservice.flows.recovery, messages.recoveryFlowExpired);
