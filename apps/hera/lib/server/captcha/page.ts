import "server-only";
import { cookies, headers } from "next/headers";
import type { FlowKind } from "@olympus/ory-client/kratos";
import { CAPTCHA_REFUSAL_COOKIE, captchaRefusedFor } from "../kratos-edge/captcha-gate";
import { edgeCaptcha } from "../kratos-edge/instance";
import { identifierKey } from "../kratos-edge/identifier-key";
import { isGuardedFlow } from "../kratos-edge/submission";
import { captchaFailedMessage, withCaptchaNode } from "./node";

type PageFlow = { id: string; ui: { nodes: { group?: string; attributes: object }[]; messages?: unknown[] } };

/**
 * A flow page's flow with the CAPTCHA node where its next submission will
 * need one (the edge decorates the flows it relays the same way), and with
 * Kratos' "captcha failed" message after the edge refused a browser form
 * post for want of a solution (its cookie names the flow).
 */
export async function withCaptchaForPage<F extends PageFlow>(kind: FlowKind, flow: F): Promise<F> {
  if (!isGuardedFlow(kind)) return flow;
  if (captchaRefusedFor((await cookies()).get(CAPTCHA_REFUSAL_COOKIE)?.value, flow.id))
    return withCaptchaNode({ ...flow, ui: { ...flow.ui, messages: [captchaFailedMessage()] } });
  try {
    const captcha = edgeCaptcha();
    const identifier = flow.ui.nodes
      .map((node) => node.attributes as { name?: unknown; value?: unknown })
      .find((attributes) => attributes.name === "identifier" && typeof attributes.value === "string" && attributes.value !== "")?.value;
    const shows = await captcha.gate.shows({
      kind,
      identifiers: typeof identifier === "string" ? [identifierKey(identifier)] : [],
      clientAddress: captcha.clientAddress(await headers()),
    });
    return shows ? withCaptchaNode(flow) : flow;
  } catch {
    // The settings or counters cannot be read: the edge refuses guarded submissions then anyway (503).
    return flow;
  }
}
