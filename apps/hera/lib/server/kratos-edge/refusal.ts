import type { Fields, FlowNode, KratosFlow } from "./submission";

/**
 * Olympus' own flow message for "a limit is exhausted". Kratos' validation
 * ids count up from 4000001; 4000429 echoes HTTP 429 and stays clear of that
 * range. The same text for every limit and every identifier, known or not
 * (the counters do not know whether an account exists), so it reveals
 * nothing about accounts; it says how long the lock still holds, which is
 * also in `context.retry_after_seconds` (and `Retry-After`).
 */
export const RATE_LIMITED_MESSAGE_ID = 4000429;

/** The refusal's text for a wait of `seconds`. */
export function rateLimitedText(seconds: number): string {
  return `Too many attempts. Please wait ${waitDuration(seconds)} before you try again.`;
}

/** A wait in words, rounded up to what a person would check a clock for: "45 seconds", "5 minutes", "2 hours". */
export function waitDuration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), "second");
  // 59 minutes and a few seconds round up to the hour, as 1 hour 59 minutes and some do to 2 hours.
  if (seconds < 3600) return Math.ceil(seconds / 60) === 60 ? "1 hour" : plural(Math.ceil(seconds / 60), "minute");
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.ceil((seconds - hours * 3600) / 60);
  if (minutes === 60) return plural(hours + 1, "hour");
  return minutes === 0 ? plural(hours, "hour") : `${plural(hours, "hour")} ${plural(minutes, "minute")}`;
}

export interface UiMessage {
  id: number;
  text: string;
  type: "error";
  context: { retry_after_seconds: number };
}

export function rateLimitMessage(retryAfterSeconds: number): UiMessage {
  return {
    id: RATE_LIMITED_MESSAGE_ID,
    text: rateLimitedText(retryAfterSeconds),
    type: "error",
    context: { retry_after_seconds: retryAfterSeconds },
  };
}

/** Seconds to announce: whole, at least one. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Node types whose submitted value Kratos shows again on a re-rendered flow (never secrets, never the CSRF token). */
const ECHOED_TYPES = new Set(["text", "email", "tel", "number", "url", "hidden", "date", "datetime-local"]);
const NEVER_ECHOED = new Set(["csrf_token", "method", "password", "code", "totp_code", "lookup_secret", "resend"]);

/**
 * The flow as Kratos re-renders it after a validation error, with the refusal
 * as its one message: node messages cleared, the submitted identifier and
 * traits shown again, secrets never.
 */
export function refusedFlow(flow: KratosFlow, retryAfter: number, fields: Fields): KratosFlow {
  return echoedFlow(flow, fields, rateLimitMessage(retryAfter));
}

/** A flow re-rendered as Kratos does after a validation error: `message` its one message, the submitted non-secret values shown again. */
export function echoedFlow(flow: KratosFlow, fields: Fields, message: unknown): KratosFlow {
  const nodes = flow.ui.nodes.map((node): FlowNode => {
    const name = node.attributes.name;
    const submitted = name === undefined ? undefined : fields.get(name)?.[0];
    const echo =
      submitted !== undefined && name !== undefined && !NEVER_ECHOED.has(name) && ECHOED_TYPES.has(String(node.attributes.type ?? ""));
    return { ...node, attributes: echo ? { ...node.attributes, value: submitted } : node.attributes, messages: [] };
  });
  return { ...flow, ui: { ...flow.ui, nodes, messages: [message] } };
}

/**
 * The cookie that carries a refusal to the page a browser form post is sent
 * back to (Kratos keeps its messages on the stored flow; the edge cannot, so
 * the page adds the message when it renders that flow). It names the flow
 * and the wait only: nothing in it is a secret or an authorisation.
 */
export const REFUSAL_COOKIE = "olympus_edge_refusal";

export function refusalCookie(flowId: string, retryAfter: number, secure: boolean): string {
  const maxAge = Math.min(retryAfter, 300);
  const until = Math.floor(Date.now() / 1000) + retryAfter;
  return `${REFUSAL_COOKIE}=${encodeURIComponent(`${flowId}.${until}`)}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** The refusal message for `flowId` if the browser's refusal cookie names it and the wait is not over. */
export function refusalFromCookie(value: string | undefined, flowId: string, nowMs = Date.now()): UiMessage | undefined {
  if (!value) return undefined;
  const match = /^([0-9a-f-]{36})\.(\d{1,12})$/i.exec(decodeURIComponent(value));
  if (!match || match[1] !== flowId) return undefined;
  const remaining = Number(match[2]) * 1000 - nowMs;
  return remaining > 0 ? rateLimitMessage(retryAfterSeconds(remaining)) : undefined;
}
