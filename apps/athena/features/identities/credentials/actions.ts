"use server";

import { z } from "zod";
import { adminAction } from "@/shared/server/action";
import { kratosAdmin } from "@/shared/server/ory";
import { kratosCall } from "../operations";
import { REMOVABLE_TYPES } from "./credentials";

const LABELS: Record<(typeof REMOVABLE_TYPES)[number], string> = {
  totp: "The authenticator app",
  lookup_secret: "The backup codes",
  webauthn: "The second-factor security keys",
  oidc: "The social sign-in link",
};

/**
 * Removes one credential of an identity through Kratos' admin API
 * (`DELETE /admin/identities/{id}/credentials/{type}`); Kratos' own refusals
 * (the last first factor, a passkey) come back in its words. Audited as
 * `identity.remove_credential` with the type and, for a social link, the
 * provider.
 */
export const removeCredential = adminAction(
  {
    action: "identity.remove_credential",
    input: z
      .object({ id: z.uuid(), type: z.enum(REMOVABLE_TYPES), identifier: z.string().min(3).max(512).optional() })
      .refine((input) => input.type !== "oidc" || input.identifier?.includes(":"), {
        message: "a social sign-in link is named provider:subject",
        path: ["identifier"],
      }),
    target: (input) => input.id,
  },
  async ({ id, type, identifier }) => {
    await kratosCall(() => kratosAdmin().deleteIdentityCredential(id, type, type === "oidc" ? identifier : undefined));
    return {
      data: null,
      details: { type, ...(type === "oidc" && identifier ? { provider: identifier.split(":")[0] } : {}) },
      message: `${LABELS[type]} ${type === "lookup_secret" || type === "webauthn" ? "were" : "was"} removed.`,
    };
  },
);
