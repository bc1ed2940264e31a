import type { CaptchaChallenges, CaptchaVerdict } from "../captcha/challenges";
import { captchaFailedMessage, withCaptchaNode } from "../captcha/node";
import type { CaptchaPolicy } from "@olympus/athena-store/settings";
import { flowShowsCaptcha, submissionNeedsCaptcha } from "../captcha/requirement";
import { CAPTCHA_FIELD } from "@/lib/captcha-field";
import { echoedFlow } from "./refusal";
import type { Fields, GuardedFlow, KratosFlow } from "./submission";

/**
 * The CAPTCHA at Hera's edge: a submission the policy asks one for passes
 * only with a solved, unexpired, unused ALTCHA challenge in its `altcha`
 * field, checked before the limits count it and before Kratos sees it; the
 * field itself never reaches Kratos. Flows whose next submission may need
 * one carry the CAPTCHA node, for Ory Elements to render the widget.
 */
export interface CaptchaGate {
  /** Undefined when the submission may go on; the reason it may not otherwise. */
  check(input: SubmissionContext): Promise<Exclude<CaptchaVerdict, { ok: true }> | undefined>;
  /** Whether a flow the edge or a page shows should carry the widget. */
  shows(input: Omit<SubmissionContext, "fields">): Promise<boolean>;
}

export interface SubmissionContext {
  kind: GuardedFlow;
  fields: Fields;
  /** Identifiers a password guess names (normalised), whose failure counts the login rule reads. */
  identifiers: readonly string[];
  clientAddress: string;
}

export interface CaptchaGateOptions {
  policy: () => Promise<CaptchaPolicy>;
  challenges: CaptchaChallenges;
  /** The highest failed-password count the edge's counters hold now for these identifiers or this client address. */
  passwordFailures: (identifiers: readonly string[], clientAddress: string) => Promise<number>;
}

export function createCaptchaGate(options: CaptchaGateOptions): CaptchaGate {
  return {
    async check({ kind, fields, identifiers, clientAddress }) {
      const policy = await options.policy();
      const needed = await submissionNeedsCaptcha(kind, fields, policy, () => options.passwordFailures(identifiers, clientAddress));
      if (!needed) return undefined;
      const verdict = await options.challenges.verify(fields.get(CAPTCHA_FIELD)?.[0]);
      return verdict.ok ? undefined : verdict;
    },
    async shows({ kind, identifiers, clientAddress }) {
      const policy = await options.policy();
      return flowShowsCaptcha(kind, policy, () => options.passwordFailures(identifiers, clientAddress));
    },
  };
}

/** The refused submission's flow as Elements shows a validation error: message 4000038, the widget to solve again. */
export function captchaRefusedFlow(flow: KratosFlow, fields: Fields): KratosFlow {
  const withoutPayload = new Map([...fields].filter(([name]) => name !== CAPTCHA_FIELD));
  return withCaptchaNode(echoedFlow(flow, withoutPayload, captchaFailedMessage()));
}

/** Carries a CAPTCHA refusal to the page a browser form post is sent back to (as the limits' refusal cookie does). */
export const CAPTCHA_REFUSAL_COOKIE = "olympus_edge_captcha";

export function captchaRefusalCookie(flowId: string, secure: boolean): string {
  return `${CAPTCHA_REFUSAL_COOKIE}=${encodeURIComponent(flowId)}; Path=/; Max-Age=300; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** Whether the browser's CAPTCHA refusal cookie names this flow. */
export function captchaRefusedFor(value: string | undefined, flowId: string): boolean {
  return value !== undefined && decodeURIComponent(value) === flowId;
}

/**
 * The submission as Kratos gets it: without the `altcha` field (Kratos'
 * decoders ignore fields their schemas do not name, but the payload is the
 * edge's business only). Undefined when there is nothing to remove.
 */
export async function withoutCaptchaField(
  contentType: string | null,
  body: Uint8Array<ArrayBuffer>,
): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string | null } | undefined> {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  const encode = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !(CAPTCHA_FIELD in parsed)) return undefined;
    const { [CAPTCHA_FIELD]: _payload, ...rest } = parsed as Record<string, unknown>;
    return { body: encode(JSON.stringify(rest)), contentType };
  }
  if (type === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(new TextDecoder().decode(body));
    if (!form.has(CAPTCHA_FIELD)) return undefined;
    form.delete(CAPTCHA_FIELD);
    return { body: encode(form.toString()), contentType };
  }
  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": contentType ?? type } }).formData();
    } catch {
      return undefined;
    }
    if (!form.has(CAPTCHA_FIELD)) return undefined;
    form.delete(CAPTCHA_FIELD);
    const encoded = new Response(form);
    return { body: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type") };
  }
  return undefined;
}
