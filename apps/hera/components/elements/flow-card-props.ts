import type { LoginFlow, RecoveryFlow, RegistrationFlow, SettingsFlow, VerificationFlow } from "@ory/client-fetch";
import type { OryClientConfiguration } from "@ory/elements-react";

/** What a flow page hands the card: the flow of one kind and the Elements configuration. */
export type FlowCardProps = { config: OryClientConfiguration } & (
  | { kind: "login"; flow: LoginFlow }
  | { kind: "registration"; flow: RegistrationFlow }
  | { kind: "recovery"; flow: RecoveryFlow }
  | { kind: "verification"; flow: VerificationFlow }
  | { kind: "settings"; flow: SettingsFlow }
);
