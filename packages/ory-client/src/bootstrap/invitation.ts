import { z } from "zod";
import { AdminApiError, adminRequest, labelOf, type AdminApi } from "./admin-api";

export interface Invitation {
  /** The recovery page (Hera) with the flow the code belongs to. */
  link: string;
  /** The one-time code to enter there; it signs the person in once and leads to their settings to choose a password. */
  code: string;
  expiresAt: string | undefined;
}

/** How long an invitation stays valid unless the caller says otherwise: long enough to reach someone by another channel. */
export const DEFAULT_INVITATION_LIFESPAN = "24h";

const recoveryCode = z.looseObject({
  recovery_link: z.string().url(),
  recovery_code: z.string().min(1),
  expires_at: z.string().optional(),
});

/**
 * An invitation for an identity without a password: a Kratos admin recovery
 * code (`POST /admin/recovery/code`), Kratos' own way to "recover or
 * activate" an account, by the method IAM's recovery flow uses
 * (`selfservice.flows.recovery.use: code`). Kratos does not mail it — the
 * admin API never sends mail — so the caller hands it over (the operator
 * CLI prints it once). Each call makes a new code; earlier ones stay valid
 * until they expire.
 */
export async function createInvitation(
  kratos: AdminApi,
  identityId: string,
  expiresIn: string = DEFAULT_INVITATION_LIFESPAN,
): Promise<Invitation> {
  const answer = await adminRequest(kratos, "POST", "/admin/recovery/code", recoveryCode, {
    body: { identity_id: identityId, expires_in: expiresIn },
    accept: [200, 201],
  });
  if (!answer.body)
    throw new AdminApiError("unexpected", labelOf(kratos), answer.status, `${labelOf(kratos)} made no recovery code for ${identityId}`);
  return { link: answer.body.recovery_link, code: answer.body.recovery_code, expiresAt: answer.body.expires_at };
}

/** Kratos' duration syntax for `expires_in` (Go's time.ParseDuration, whole units): 30m, 24h, 1h30m. */
export const KRATOS_DURATION = /^(?:\d+(?:ns|us|µs|ms|s|m|h))+$/;
