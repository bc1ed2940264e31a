"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isOryError } from "@olympus/ory-client/hydra";
import { consentIsImplicit, denyConsent, grantConsent } from "@/lib/server/oauth2-consent";
import { hydra } from "@/lib/server/ory";

const decision = z.object({
  challenge: z.string().min(1).max(2048),
  decision: z.enum(["accept", "reject"]),
  remember: z.literal("on").optional(),
  scope: z.array(z.string().max(200)).max(100),
});

export type ConsentActionError = { error: "invalid_request" | "expired" | "unavailable" };

/**
 * The consent form's answer. Server actions carry Next's same-origin check,
 * so another site cannot submit this on the person's behalf. Granted scopes
 * are re-checked against what the client asked for.
 */
export async function decideConsent(_previous: ConsentActionError | undefined, form: FormData): Promise<ConsentActionError> {
  const parsed = decision.safeParse({
    challenge: form.get("challenge"),
    decision: form.get("decision"),
    remember: form.get("remember") ?? undefined,
    scope: form.getAll("scope"),
  });
  if (!parsed.success) return { error: "invalid_request" };
  const { challenge, remember } = parsed.data;

  let to: string;
  try {
    const result = await hydra().getConsentRequest(challenge);
    if (result.status === "handled") redirect(result.redirectTo);
    if (result.status === "not_found") return { error: "expired" };
    const request = result.request;
    if (parsed.data.decision === "reject") {
      to = await denyConsent(challenge);
    } else {
      const requested = new Set(request.requested_scope ?? []);
      // openid is what the client signs in with: granting the rest without it makes no sense.
      const granted = [...new Set(["openid", ...parsed.data.scope])].filter((s) => requested.has(s));
      to = await grantConsent(request, granted, remember === "on" && !(await consentIsImplicit(request)));
    }
  } catch (error) {
    if (isOryError(error)) return { error: "unavailable" };
    throw error;
  }
  redirect(to);
}
