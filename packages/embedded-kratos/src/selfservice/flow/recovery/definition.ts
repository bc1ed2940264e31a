import { messages } from "../../../ui/messages";
import { addressFlowParts } from "../address-flow";
import type { FlowDefinition } from "../definition";
import type { RecoveryFlow } from "../flow";
import { isRecoveryV2State, recoveryInitialState } from "./state";

export const recoveryFlow: FlowDefinition<RecoveryFlow> = {
  ...addressFlowParts<RecoveryFlow>("recovery", (c) => c.selfservice.flows.recovery, messages.recoveryFlowExpired),
  is: (flow): flow is RecoveryFlow => flow.kind === "recovery",
  initialStateFor: recoveryInitialState,
  // Kratos' recovery flows are never sorted; the v2 screens keep the order code.Strategy appends their nodes in.
  keepsNodeOrder: (flow) => isRecoveryV2State(flow.state),
  create: (fields) => ({ ...fields, kind: "recovery", skipCsrfCheck: false }),
};
