import type { CaptchaChallenges, CaptchaVerdict } from "../captcha/challenges";
import { captchaFailedMessage, withCaptchaNode } from "../captcha/node";
import type { CaptchaPolicy } from "@olympus/athena-store/settings";
import { flowShowsCaptcha, submissionNeedsCaptcha } from "../captcha/requirement";
import { CAPTCHA_FIELD } from "@/lib/captcha-field";
import { echoedFlow } from "./refusal";
import type { Charge, Fields, GuardedFlow, KratosFlow } from "./submission";
import { goQueryParams } from "@olympus/server-kit/go-url";
import { jsonWithoutMember } from "./json-form-fields";

/**
 * The CAPTCHA at Hera's edge: a submission the policy asks one for passes
 * only with a solved, unexpired, unused ALTCHA challenge in its `altcha`
 * field, checked before the limits count it and before Kratos sees it; the
 * field itself never reaches Kratos. Flows whose next submission may need
 * one carry the CAPTCHA node, for Ory Elements to render the widget.
 */
export interface CaptchaGate {
  /** Undefined when the submission may go on; the reason it may not otherwise. */
  check(input: SubmissionContext & { charges: readonly Charge[] }): Promise<Exclude<CaptchaVerdict, { ok: true }> | undefined>;
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
    async check({ kind, fields, identifiers, clientAddress, charges }) {
      const policy = await options.policy();
      const needed = await submissionNeedsCaptcha(
        kind,
        fields,
        policy,
        () => options.passwordFailures(identifiers, clientAddress),
        charges,
      );
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
 * A query as Kratos gets it: without its `altcha` pairs (a GET submission's
 * fields are its query). Each `&`-separated pair is read as Go's url.ParseQuery
 * reads it, so `alt%63ha=…` goes too; every other pair is forwarded as sent.
 * Undefined when there is nothing to remove.
 */
export function queryWithoutCaptchaField(search: string): string | undefined {
  const query = search.startsWith("?") ? search.slice(1) : search;
  if (query === "") return undefined;
  const pairs = query.split("&");
  const kept = pairs.filter((pair) => !goQueryParams(pair).has(CAPTCHA_FIELD));
  if (kept.length === pairs.length) return undefined;
  return kept.length > 0 ? `?${kept.join("&")}` : "";
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
  // Cut out of the bytes as sent, never re-serialised: JSON.stringify would round a number past 2^53 and
  // URLSearchParams re-encode a pair Go drops (`email=decoy;`) into one Kratos reads, so Kratos would act on
  // other values than the edge priced.
  if (type === "application/json") {
    const kept = jsonWithoutMember(new TextDecoder().decode(body), CAPTCHA_FIELD);
    return kept === undefined ? undefined : { body: new TextEncoder().encode(kept) as Uint8Array<ArrayBuffer>, contentType };
  }
  if (type === "application/x-www-form-urlencoded") {
    // Bytes as Latin-1 text and back: every byte kept as it was (a body's own leading `?` too).
    const kept = queryWithoutCaptchaField(`?${Buffer.from(body).toString("latin1")}`);
    return kept === undefined ? undefined : { body: new Uint8Array(Buffer.from(kept.slice(1), "latin1")), contentType };
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
