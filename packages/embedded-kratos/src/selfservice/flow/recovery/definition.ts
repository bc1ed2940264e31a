import { messages } from "../../../ui/messages";
import { addressFlowParts } from "../address-flow";
import type { FlowDefinition } from "../definition";
import type { RecoveryFlow } from "../flow";
import { recoveryInitialState } from "./state";

export const recoveryFlow: FlowDefinition<RecoveryFlow> = {
  ...addressFlowParts<RecoveryFlow>("recovery", (c) => c.selfservice.flows.recovery, messages.recoveryFlowExpired),
  is: (flow): flow is RecoveryFlow => flow.kind === "recovery",
  initialStateFor: recoveryInitialState,
  create: (fields) => ({ ...fields, kind: "recovery", skipCsrfCheck: false }),
};
