"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isOryError } from "@olympus/ory-client/kratos";
import { browserCookie, relaySetCookies } from "@/lib/server/cookies";
import { endKratosSession, signOutEverywhere } from "@/lib/server/logout";
import { hydra } from "@/lib/server/ory";

const answer = z.object({
  challenge: z.string().max(2048).optional(),
  decision: z.enum(["logout", "stay"]),
});

/**
 * The sign-out confirmation. "Sign out" ends the Kratos session and, for a
 * Hydra logout challenge, accepts it (Hydra ends its own session and returns
 * the browser to the client) — without one, it also ends the person's Hydra
 * login sessions; "Stay signed in" rejects the challenge.
 */
export async function decideLogout(form: FormData): Promise<void> {
  const parsed = answer.safeParse({ challenge: form.get("challenge") || undefined, decision: form.get("decision") });
  if (!parsed.success) redirect("/logout");
  const { challenge, decision } = parsed.data;
  let to: string;
  try {
    if (decision === "stay") {
      if (challenge) await hydra().rejectLogout(challenge);
      to = "/";
    } else {
      const cookie = await browserCookie();
      if (challenge) {
        await relaySetCookies(await endKratosSession(cookie));
        to = await hydra().acceptLogout(challenge);
      } else {
        await relaySetCookies(await signOutEverywhere(cookie));
        to = "/login";
      }
    }
  } catch (error) {
    if (!isOryError(error)) throw error;
    to = `/unavailable?retry=${encodeURIComponent(challenge ? `/logout?logout_challenge=${challenge}` : "/logout")}`;
  }
  redirect(to);
}
