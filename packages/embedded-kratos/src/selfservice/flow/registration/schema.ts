import type { RegistrationFlow } from "../flow";

/** The identity schema a registration flow signs up for: `?identity_schema=` when its init named one, else the default. */
export function registrationSchemaId(flow: Pick<RegistrationFlow, "identitySchema">, fallback: string): string {
  return flow.identitySchema ?? fallback;
}
