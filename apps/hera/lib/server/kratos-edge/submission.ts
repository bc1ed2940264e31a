import { goTrimSpace } from "@olympus/server-kit/text";
import { codeAddressKey, identifierKey, phoneKey } from "./identifier-key";
import type { AttemptKind } from "./limits-config";

/**
 * What a self-service submission to Kratos asks for, as far as the abuse
 * limits care: a guess at a secret, a mail to an address, a registration.
 * Read from the submitted fields and the flow as Kratos holds it (for the
 * address a code was sent to), never from anything Kratos would not act on.
 */

export const GUARDED_FLOWS = ["login", "registration", "recovery", "verification"] as const;
export type GuardedFlow = (typeof GUARDED_FLOWS)[number];

export function isGuardedFlow(value: string): value is GuardedFlow {
  return (GUARDED_FLOWS as readonly string[]).includes(value);
}

/** Submitted fields, flattened (`traits.email`); a name given more than once keeps every value. */
export type Fields = Map<string, string[]>;

/** The parts of a Kratos flow the limits read (and the refusal re-renders). */
export interface FlowNode {
  type?: string;
  group?: string;
  attributes: { name?: string; type?: string; value?: unknown; node_type?: string; [key: string]: unknown };
  messages?: unknown[];
  [key: string]: unknown;
}
export interface KratosFlow {
  id: string;
  type?: string;
  state?: string;
  ui: { action?: string; method?: string; nodes: FlowNode[]; messages?: unknown[]; [key: string]: unknown };
  [key: string]: unknown;
}

export type Charge =
  /** A guess at a secret, counted per identifier (and per client IP) before Kratos checks it. */
  | { type: "attempt"; attempt: Exclude<AttemptKind, "totp" | "lookup_secret">; identifiers: string[] }
  /** A second factor: counted per identity, which only the session tells (resolved by the edge). */
  | { type: "second_factor"; attempt: "totp" | "lookup_secret" }
  /** A mail Kratos is asked to send (codes and links), counted per address and per client IP. */
  | { type: "mail"; addresses: string[] }
  /** A self-service registration submission, whatever it answers. */
  | { type: "registration" };

/**
 * The non-empty values of each name, trimmed as Go trims. A value that only
 * one of JavaScript's trim() and Go's TrimSpace empties (U+FEFF, U+0085) is
 * kept: Kratos may act on it, and charging it is the safe side.
 */
function values(fields: Fields, ...names: string[]): string[] {
  return names.flatMap((name) => (fields.get(name) ?? []).filter((v) => v.trim() !== "" || goTrimSpace(v) !== "").map(goTrimSpace));
}

function distinct(list: readonly string[], key: (value: string) => string = identifierKey): string[] {
  return [...new Set(list.map(key))];
}

function nodeValue(flow: KratosFlow | undefined, name: string): string | undefined {
  const value = flow?.ui.nodes.find(
    (n) => n.attributes.name === name && typeof n.attributes.value === "string" && n.attributes.value !== "",
  )?.attributes.value;
  return typeof value === "string" ? value : undefined;
}

/**
 * The addresses a registration names: its e-mail traits (by the flow's node
 * types), else any trait that looks like one; then every trait that parses as
 * a phone number, by its E.164 key. The flow does not tell which traits are
 * `sms` code addresses, and Kratos sends to those in E.164 (identity/
 * extension_credentials.go stores them as x.NormalizeIdentifier(value, "sms"),
 * code/strategy_registration.go sends to the stored addresses).
 */
export function traitAddresses(fields: Fields, flow: KratosFlow | undefined): string[] {
  const emailTraits = new Set(
    (flow?.ui.nodes ?? [])
      .filter((n) => n.attributes.name?.startsWith("traits.") && n.attributes.type === "email")
      .map((n) => n.attributes.name ?? ""),
  );
  const traits = [...fields.entries()].filter(([name]) => name.startsWith("traits."));
  const typed = traits.filter(([name]) => emailTraits.has(name)).flatMap(([, v]) => v);
  const chosen = typed.length > 0 ? typed : traits.flatMap(([, v]) => v).filter((v) => v.includes("@"));
  const phones = traits.flatMap(([, v]) => v.flatMap((value) => phoneKey(value) ?? []));
  return [...new Set([...distinct(chosen), ...phones])].filter((address) => address !== "");
}

/** The address a flow's code went to, as Kratos shows it on the flow; the flow itself when it names none. */
function codeSubject(kind: GuardedFlow, flow: KratosFlow | undefined, flowId: string): string {
  const shown =
    kind === "login"
      ? nodeValue(flow, "identifier")
      : kind === "registration"
        ? traitAddresses(
            new Map(
              flow?.ui.nodes
                .filter((n) => typeof n.attributes.value === "string")
                .map((n) => [n.attributes.name ?? "", [String(n.attributes.value)]]),
            ),
            flow,
          )[0]
        : kind === "recovery" && isRecoveryV2(flow)
          ? recoveryV2CodeAddress(flow)
          : nodeValue(flow, "email");
  if (!shown) return `flow:${flowId}`;
  // The code login matched its identifier as the code strategy does (a phone number in E.164).
  return kind === "login" ? codeAddressKey(shown) : identifierKey(shown);
}

/**
 * Recovery v2 (`feature_flags.choose_recovery_address`): its states share the
 * `recovery_` prefix (flow.IsStateRecoveryV2). Kratos runs the code strategy's
 * v2 handlers on such a flow whatever `method` the body names.
 */
function isRecoveryV2(flow: KratosFlow | undefined): flow is KratosFlow {
  return flow?.state?.startsWith("recovery_") ?? false;
}

/**
 * The address a v2 code went to: the code screen's "resend" button carries it
 * in full as `recovery_confirm_address` (recoveryV2HandleStateConfirmingAddress;
 * the message shows it masked). Kratos wrote it into the flow when it sent, so the
 * guess is counted against that mailbox or phone whatever this submission says,
 * and guesses at one person's codes share a count across flows. Else the address
 * typed first (the hidden `recovery_address`: the account named), else the flow.
 */
function recoveryV2CodeAddress(flow: KratosFlow): string | undefined {
  return nodeValue(flow, "recovery_confirm_address") ?? nodeValue(flow, "recovery_address");
}

/** Every value of a name as sent, untrimmed: Kratos' v2 handlers test `len(value) == 0` on the raw string. */
function raw(fields: Fields, name: string): string[] {
  return fields.get(name) ?? [];
}

/**
 * What a submission to a recovery v2 flow is charged (strategy_recovery.go,
 * Recover and the recoveryV2HandleState* handlers). A mail is charged where a
 * handler may send: to `recovery_address` on the first screen and on the choice
 * screen (the edge cannot tell an account's lone address from one of several
 * without asking, nor read the hashed choice — a choice that sends, sends to the
 * typed address, so the person it names is charged; a choice that only asks for
 * the full address costs a mail too), to `recovery_confirm_address` on the confirmation
 * screen and on the code screen's resend (no code). A code on the code screen is
 * a guess against the address it went to. `screen=previous` (recoveryV2HandleGoBack)
 * never sends. Nothing here depends on whether an account has the address.
 */
function recoveryV2Charges(fields: Fields, flow: KratosFlow, flowId: string): Charge[] {
  const screens = raw(fields, "screen");
  // Only when every value is "previous" does Kratos go back whichever value its decoder keeps.
  if (screens.length > 0 && screens.every((s) => s === "previous")) return [];
  const mailTo = (name: string): Charge[] => {
    const addresses = distinct(values(fields, name));
    return addresses.length > 0 ? [{ type: "mail", addresses }] : [];
  };
  switch (flow.state) {
    case "recovery_awaiting_address":
      return mailTo("recovery_address");
    case "recovery_awaiting_address_choice":
      // The send (if any) goes to the typed address, when the choice is its hash: charged on any choice.
      return raw(fields, "recovery_select_address").some((v) => v !== "") ? mailTo("recovery_address") : [];
    case "recovery_confirming_address":
      return mailTo("recovery_confirm_address");
    case "recovery_awaiting_code": {
      const codes = raw(fields, "code");
      const charges: Charge[] = [];
      if (codes.some((c) => c !== ""))
        charges.push({ type: "attempt", attempt: "code", identifiers: [codeSubject("recovery", flow, flowId)] });
      // No code is the resend button (a name given twice may decode either way: both are charged).
      if (codes.length === 0 || codes.includes("")) charges.push(...mailTo("recovery_confirm_address"));
      return charges;
    }
    default:
      return [];
  }
}

/**
 * The charges one submission makes. `method` decides which strategy Kratos
 * runs (a name given twice charges for each). `flow` is the flow as Kratos
 * holds it before this submission (its state says whether a code is being
 * sent or checked).
 */
export function chargesFor(kind: GuardedFlow, httpMethod: string, fields: Fields, flow: KratosFlow | undefined, flowId: string): Charge[] {
  const charges: Charge[] = [];
  const isPost = httpMethod === "POST";
  // A GET carrying a code is the link in a code mail (verification, recovery): a guess like a posted one.
  if (!isPost) {
    if ((kind === "verification" || kind === "recovery") && values(fields, "code").length > 0) {
      charges.push({ type: "attempt", attempt: "code", identifiers: [codeSubject(kind, flow, flowId)] });
    }
    return charges;
  }
  if (kind === "registration") charges.push({ type: "registration" });
  const sentCode = flow?.state === "sent_email";
  const recoveryV2 = kind === "recovery" && isRecoveryV2(flow);
  if (recoveryV2) charges.push(...recoveryV2Charges(fields, flow, flowId));
  for (const method of new Set(values(fields, "method"))) {
    if (kind === "login" && method === "password") {
      const identifiers = distinct(values(fields, "identifier", "password_identifier"));
      // Without an identifier and a password Kratos answers "required" and checks nothing.
      if (identifiers.length > 0 && (fields.get("password") ?? []).some((p) => p !== ""))
        charges.push({ type: "attempt", attempt: "password", identifiers });
    } else if (kind === "login" && (method === "totp" || method === "lookup_secret")) {
      const secret = values(fields, method === "totp" ? "totp_code" : "lookup_secret");
      if (secret.length > 0) charges.push({ type: "second_factor", attempt: method });
    } else if (method === "code" && !recoveryV2) {
      const resend = values(fields, "resend").includes("code");
      const code = values(fields, "code");
      if (kind === "login") {
        if (sentCode && !resend) {
          if (code.length > 0) charges.push({ type: "attempt", attempt: "code", identifiers: [codeSubject(kind, flow, flowId)] });
        } else {
          const to = resend ? [nodeValue(flow, "identifier") ?? ""] : values(fields, "identifier");
          const addresses = distinct(
            to.filter((a) => a !== ""),
            codeAddressKey,
          );
          if (addresses.length > 0) charges.push({ type: "mail", addresses });
        }
      } else if (kind === "registration") {
        if (sentCode && !resend) {
          if (code.length > 0) charges.push({ type: "attempt", attempt: "code", identifiers: [codeSubject(kind, flow, flowId)] });
        } else {
          const addresses = traitAddresses(fields, flow);
          const resendTo = resend && addresses.length === 0 ? [codeSubject(kind, flow, flowId)] : addresses;
          if (resendTo.length > 0) charges.push({ type: "mail", addresses: resendTo });
        }
      } else {
        // Recovery and verification: an address (re)sends a code, a code alone is checked.
        const email = distinct(values(fields, "email"));
        if (email.length > 0) charges.push({ type: "mail", addresses: email });
        else if (code.length > 0 && sentCode)
          charges.push({ type: "attempt", attempt: "code", identifiers: [codeSubject(kind, flow, flowId)] });
      }
    } else if (method === "link" && (kind === "recovery" || kind === "verification")) {
      const email = distinct(values(fields, "email"));
      if (email.length > 0) charges.push({ type: "mail", addresses: email });
    }
  }
  return charges;
}

/** Flattens a JSON body into dotted names (`traits.email`); arrays give a name several values. */
export function fieldsFromJson(body: unknown): Fields {
  const fields: Fields = new Map();
  const add = (name: string, value: string) => fields.set(name, [...(fields.get(name) ?? []), value]);
  const walk = (value: unknown, name: string, depth: number) => {
    if (depth > 8) return;
    if (typeof value === "string") add(name, value);
    else if (typeof value === "number" || typeof value === "boolean") add(name, String(value));
    else if (Array.isArray(value)) for (const item of value) walk(item, name, depth + 1);
    else if (typeof value === "object" && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, name === "" ? key : `${name}.${key}`, depth + 1);
    }
  };
  walk(body, "", 0);
  return fields;
}

/** Form fields (urlencoded or multipart) as Kratos' decoder reads them; files are ignored. */
export function fieldsFromForm(form: Iterable<[string, FormDataEntryValue | string]>): Fields {
  const fields: Fields = new Map();
  for (const [name, value] of form) {
    if (typeof value !== "string") continue;
    fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  return fields;
}
