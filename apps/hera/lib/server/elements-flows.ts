import "server-only";
import {
  FlowErrorFromJSON,
  LoginFlowFromJSON,
  RecoveryFlowFromJSON,
  RegistrationFlowFromJSON,
  SettingsFlowFromJSON,
  VerificationFlowFromJSON,
  type FlowError as ElementsFlowError,
  type LoginFlow as ElementsLoginFlow,
  type RecoveryFlow as ElementsRecoveryFlow,
  type RegistrationFlow as ElementsRegistrationFlow,
  type SettingsFlow as ElementsSettingsFlow,
  type VerificationFlow as ElementsVerificationFlow,
} from "@ory/client-fetch";
import type { FlowError, LoginFlow, RecoveryFlow, RegistrationFlow, SettingsFlow, VerificationFlow } from "@olympus/ory-client/kratos";

/** Any flow: each carries `ui.nodes`. */
type AnyFlow = LoginFlow | RegistrationFlow | RecoveryFlow | VerificationFlow | SettingsFlow;

/**
 * Kratos' script nodes (webauthn.js for passkeys and security keys) carry a
 * nonce of Kratos' own; Elements renders them as <script> tags, which Hera's
 * CSP would block. They get this response's CSP nonce instead.
 */
function withScriptNonce<F extends AnyFlow>(flow: F, nonce: string | undefined): F {
  if (!nonce) return flow;
  const nodes = flow.ui.nodes.map((node) =>
    node.attributes.node_type === "script" ? { ...node, attributes: { ...node.attributes, nonce } } : node,
  );
  return { ...flow, ui: { ...flow.ui, nodes } };
}

/**
 * The SDK speaks @ory/client (JSON as received); Ory Elements takes
 * @ory/client-fetch models (timestamps as Dates). These run the generated
 * converters, so no shape is asserted by hand.
 */
export const toElements = {
  login: (flow: LoginFlow, nonce: string | undefined): ElementsLoginFlow => LoginFlowFromJSON(withScriptNonce(flow, nonce)),
  registration: (flow: RegistrationFlow, nonce: string | undefined): ElementsRegistrationFlow =>
    RegistrationFlowFromJSON(withScriptNonce(flow, nonce)),
  recovery: (flow: RecoveryFlow, nonce: string | undefined): ElementsRecoveryFlow => RecoveryFlowFromJSON(withScriptNonce(flow, nonce)),
  verification: (flow: VerificationFlow, nonce: string | undefined): ElementsVerificationFlow =>
    VerificationFlowFromJSON(withScriptNonce(flow, nonce)),
  settings: (flow: SettingsFlow, nonce: string | undefined): ElementsSettingsFlow => SettingsFlowFromJSON(withScriptNonce(flow, nonce)),
  flowError: (error: FlowError): ElementsFlowError => FlowErrorFromJSON(error),
};
