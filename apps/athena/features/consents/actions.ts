"use server";

import { z } from "zod";
import { adminAction } from "@/shared/server/action";
import { hydraAdmin } from "@/shared/server/ory";

export const revokeConsent = adminAction(
  {
    action: "consent.revoke",
    input: z.object({ subject: z.string().min(1).max(255), clientId: z.string().min(1).max(255).optional() }),
    target: (i) => (i.clientId ? `${i.subject} / ${i.clientId}` : i.subject),
  },
  async ({ subject, clientId }) => {
    // Hydra revokes the access and refresh tokens issued under the consent with it.
    await hydraAdmin().revokeConsentSessions(subject, clientId);
    return {
      data: null,
      details: { all: !clientId },
      message: clientId ? "Consent and its tokens revoked." : "All consents and their tokens revoked.",
    };
  },
);
