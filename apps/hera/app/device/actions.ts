"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { startupConfig } from "@olympus/runtime-config/config";
import { continuePath } from "@/lib/server/device/continue-link";
import { decideUserCode, deviceFormPath } from "@/lib/server/device/submit-user-code";
import { hydra } from "@/lib/server/ory";
import { userCodeGuessLimiter } from "@/lib/server/device/guess-limit";
import { edgeLimiter } from "@/lib/server/kratos-edge/instance";

const submission = z.object({
  device_challenge: z.string().min(1).max(2048),
  user_code: z.string().max(200),
});

/**
 * The user-code form's answer (lib/server/device/submit-user-code.ts): on
 * into Hydra's login, or back to the form with an error. It works without
 * JavaScript: a plain form post then goes through `/device/continue`, as
 * the CSP's `form-action 'self'` forbids the form's own redirect to Hydra.
 * As a server action it carries Next's same-origin check (and the proxy's),
 * so another site cannot submit it on the person's behalf.
 */
export async function submitUserCode(form: FormData): Promise<void> {
  const parsed = submission.safeParse({ device_challenge: form.get("device_challenge"), user_code: form.get("user_code") ?? "" });
  if (!parsed.success) redirect(deviceFormPath(undefined, "expired"));
  const requestHeaders = await headers();
  const limiter = userCodeGuessLimiter(edgeLimiter(), requestHeaders);
  const to = await decideUserCode(hydra(), limiter, parsed.data.device_challenge, parsed.data.user_code);
  // Next's client calls actions with a Next-Action header and follows the redirect itself (no form navigation).
  const viaScript = requestHeaders.has("next-action");
  if (to.startsWith("/") || viaScript) redirect(to);
  redirect(continuePath(startupConfig().secrets.cookieSecret, to));
}
