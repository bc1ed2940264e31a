import { z } from "zod";

/**
 * Plays the invited person's browser against the embedded Kratos' public
 * API, as Hera's recovery and settings pages do: enters the invitation's code
 * in the recovery flow its link names, follows to the settings flow that
 * leads to, and chooses a password there.
 */
export async function acceptInvitation(
  kratosPublicUrl: string,
  invitation: { link: string; code: string },
  password: string,
): Promise<{ identityId: string }> {
  const base = kratosPublicUrl.replace(/\/$/, "");
  const jar = new Map<string, string>();
  const request = async (url: string, json?: unknown) => {
    const response = await fetch(url, {
      method: json === undefined ? "GET" : "POST",
      redirect: "manual",
      headers: {
        accept: "application/json",
        ...(jar.size > 0 ? { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") } : {}),
        ...(json === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return { status: response.status, body: await response.json() };
  };

  const recoveryId = new URL(invitation.link).searchParams.get("flow");
  if (!recoveryId) throw new Error(`the invitation link ${invitation.link} names no recovery flow`);
  const recovered = await request(`${base}/self-service/recovery?flow=${recoveryId}`, { method: "code", code: invitation.code });
  // Kratos answers an SPA with continue_with (200) or, with its older transitions, 422 and where to send the browser.
  const answer = recoveryAnswer.safeParse(recovered.body);
  const settingsUrl = answer.success
    ? (answer.data.continue_with?.find((c) => c.action === "show_settings_ui")?.flow?.url ?? answer.data.redirect_browser_to)
    : undefined;
  const settingsId = settingsUrl ? new URL(settingsUrl).searchParams.get("flow") : null;
  if (!settingsId) throw new Error(`entering the code answered ${recovered.status}: ${JSON.stringify(recovered.body).slice(0, 300)}`);

  const flow = settingsFlow.parse((await request(`${base}/self-service/settings/flows?id=${settingsId}`)).body);
  const csrf = flow.ui.nodes.find((node) => node.attributes.name === "csrf_token")?.attributes.value;
  const saved = await request(`${base}/self-service/settings?flow=${settingsId}`, { method: "password", password, csrf_token: csrf });
  const body = saved.body as { state?: string; identity?: { id?: string } };
  if (saved.status !== 200 || body.state !== "success")
    throw new Error(`choosing a password failed: ${saved.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { identityId: body.identity?.id ?? flow.identity.id };
}

const recoveryAnswer = z.looseObject({
  continue_with: z.array(z.looseObject({ action: z.string(), flow: z.looseObject({ url: z.string().optional() }).optional() })).optional(),
  redirect_browser_to: z.string().optional(),
});

const settingsFlow = z.looseObject({
  identity: z.looseObject({ id: z.string() }),
  ui: z.looseObject({
    nodes: z.array(z.looseObject({ attributes: z.looseObject({ name: z.string().optional(), value: z.unknown().optional() }) })),
  }),
});

/** Kratos' API-mode password login: 200 when the identifier and password are right. */
export async function passwordLogin(kratosPublicUrl: string, identifier: string, password: string): Promise<number> {
  const base = kratosPublicUrl.replace(/\/$/, "");
  const flow = z.object({ id: z.string() }).parse(await (await fetch(`${base}/self-service/login/api`)).json());
  const response = await fetch(`${base}/self-service/login?flow=${flow.id}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ method: "password", identifier, password }),
  });
  await response.body?.cancel();
  return response.status;
}
