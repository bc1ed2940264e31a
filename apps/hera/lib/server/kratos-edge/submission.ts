import { goTrimSpace } from "@olympus/server-kit/text";
import { codeAddressKey, identifierKey, phoneKey } from "./identifier-key";
import type { AttemptKind } from "./limits-config";
import { objectTextFields } from "./nested-fields";

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
  // A `traits` value holding an object's text is the traits object to Kratos (nested-fields.ts objectTextFields).
  const traits = [
    ...[...fields.entries()].filter(([name]) => name.startsWith("traits.")),
    ...(fields.get("traits") ?? []).flatMap((text) =>
      objectTextFields("traits", text).map(([name, value]): [string, string[]] => [name, [value]]),
    ),
  ];
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

/** Every value of a name as sent, untrimmed: Kratos' handlers test `len(value) == 0` on the raw string. */
function raw(fields: Fields, name: string): string[] {
  return fields.get(name) ?? [];
}

/**
 * Kratos' decoder keeps one value of a name (the first); the edge, which does not
 * rely on telling which, asks whether any value is set and whether any may be unset,
 * and charges each way a submission may decode.
 */
const isSet = (value: string) => value !== "";
function mayBeUnset(fields: Fields, name: string): boolean {
  const given = raw(fields, name);
  return given.length === 0 || given.some((v) => !isSet(v));
}

/** A mail to each address a name gives (trimmed, keyed), or nothing when it gives none. */
function mailTo(fields: Fields, ...names: string[]): Charge[] {
  const addresses = distinct(values(fields, ...names));
  return addresses.length > 0 ? [{ type: "mail", addresses }] : [];
}

/** A guess at the code (or link token) of a flow, counted against the address it went to. */
function codeGuess(kind: GuardedFlow, flow: KratosFlow | undefined, flowId: string): Charge {
  return { type: "attempt", attempt: "code", identifiers: [codeSubject(kind, flow, flowId)] };
}

/** `resend=code`, compared as code/strategy.go SetDefaultFlowState does (strings.EqualFold). */
const asksResend = (value: string) => value.toLowerCase() === "code";

/**
 * Whether a recovery or verification flow may run a strategy. Both strategies are
 * "primary": Kratos writes the configured one (`use`) into the flow's `active` when it
 * creates the flow (recovery/flow.go and verification/flow.go NewFlow). A flow that
 * names none may run either, and is charged for both.
 */
function mayRun(flow: KratosFlow | undefined, strategy: "code" | "link"): boolean {
  const active = flow?.active;
  return typeof active !== "string" || active === "" || active === strategy;
}

/** The states in which a recovery or verification strategy takes an address or a code (the others start over). */
function takesSubmissions(flow: KratosFlow | undefined): boolean {
  return flow?.state === undefined || flow.state === "choose_method" || flow.state === "sent_email";
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
  switch (flow.state) {
    case "recovery_awaiting_address":
      return mailTo(fields, "recovery_address");
    case "recovery_awaiting_address_choice":
      // The send (if any) goes to the typed address, when the choice is its hash: charged on any choice.
      return raw(fields, "recovery_select_address").some(isSet) ? mailTo(fields, "recovery_address") : [];
    case "recovery_confirming_address":
      return mailTo(fields, "recovery_confirm_address");
    case "recovery_awaiting_code": {
      const charges: Charge[] = [];
      if (raw(fields, "code").some(isSet)) charges.push(codeGuess("recovery", flow, flowId));
      // No code is the resend button (a name given twice may decode either way: both are charged).
      if (mayBeUnset(fields, "code")) charges.push(...mailTo(fields, "recovery_confirm_address"));
      return charges;
    }
    default:
      return [];
  }
}

/**
 * The link strategy (link/strategy_recovery.go and strategy_verification.go, Recover
 * and Verify), over POST and GET alike (its decoder allows both and reads the query):
 * a `token` is checked whatever the method and state; else `method=link` sends a link
 * to `email` while the flow takes submissions.
 */
function linkCharges(kind: "recovery" | "verification", fields: Fields, flow: KratosFlow | undefined, flowId: string): Charge[] {
  const charges: Charge[] = [];
  if (raw(fields, "token").some(isSet)) charges.push(codeGuess(kind, flow, flowId));
  if (mayBeUnset(fields, "token") && values(fields, "method").includes("link") && takesSubmissions(flow))
    charges.push(...mailTo(fields, "email"));
  return charges;
}

/**
 * Verification (verification/handler.go updateVerificationFlow routes POST and GET;
 * no strategy's decoder accepts HEAD). The code strategy (code/strategy_verification.go
 * Verify) runs when `method` is "code", or when there is no method but a `code`
 * (getMethod). Then a code wins over an address (verificationHandleFormSubmission):
 * posted, it is checked; over GET it is the mail's link, put into the form unchecked
 * (handleLinkClick). Without a code, `email` is sent a code — over GET as over POST.
 */
function verificationCharges(httpMethod: string, fields: Fields, flow: KratosFlow | undefined, flowId: string): Charge[] {
  const charges: Charge[] = [];
  const methods = values(fields, "method");
  const hasCode = raw(fields, "code").some(isSet);
  const codeStrategy = methods.includes("code") || (methods.length === 0 && hasCode);
  if (mayRun(flow, "code") && codeStrategy && takesSubmissions(flow)) {
    if (hasCode && httpMethod === "POST") charges.push(codeGuess("verification", flow, flowId));
    if (mayBeUnset(fields, "code")) charges.push(...mailTo(fields, "email"));
  }
  if (mayRun(flow, "link")) charges.push(...linkCharges("verification", fields, flow, flowId));
  return charges;
}

/**
 * Recovery (recovery/handler.go updateRecoveryFlow routes POST and GET; the code
 * strategy runs first). The code strategy (code/strategy_recovery.go Recover) takes
 * every submission to a flow whose `active` is "code", and decodes POST only: a GET
 * to such a flow ends in a decoding error, nothing sent or checked. In v1, a flow past
 * its first screen checks the `code` of any submission without an `email`, whatever
 * its `method` (recoveryUseCode); an `email` (or the first screen) needs `method=code`
 * to be sent a code, and any other method leaves the submission to the link strategy.
 */
function recoveryCharges(httpMethod: string, fields: Fields, flow: KratosFlow | undefined, flowId: string): Charge[] {
  const charges: Charge[] = [];
  const codeRuns = httpMethod === "POST" && mayRun(flow, "code");
  let linkRuns = flow?.active !== "code";
  if (codeRuns && isRecoveryV2(flow)) charges.push(...recoveryV2Charges(fields, flow, flowId));
  else if (codeRuns) {
    const firstScreen = flow?.state === "choose_method";
    if (!firstScreen && mayBeUnset(fields, "email") && raw(fields, "code").some(isSet)) charges.push(codeGuess("recovery", flow, flowId));
    if (firstScreen || raw(fields, "email").some(isSet)) {
      const methods = values(fields, "method");
      if (methods.includes("code") && takesSubmissions(flow)) charges.push(...mailTo(fields, "email"));
      if (methods.length === 0 || methods.some((m) => m !== "code")) linkRuns = true;
    }
  }
  if (linkRuns) charges.push(...linkCharges("recovery", fields, flow, flowId));
  return charges;
}

/**
 * A code login (code/strategy_login.go Login; its full decoder takes POST only). The
 * strategy runs on `method=code`, and in a second-factor login on a bare `address`
 * too. `resend=code` or a flow on its first screen sends a code to the identifier,
 * else the address (loginSendCode: the body's, never the flow's); a flow whose code
 * was sent checks the `code` (loginVerifyCode).
 */
function loginCodeCharges(fields: Fields, flow: KratosFlow | undefined, flowId: string): Charge[] {
  const charges: Charge[] = [];
  const resends = raw(fields, "resend");
  // SetDefaultFlowState: a flow without a state is on its first screen.
  const state = flow?.state || "choose_method";
  if (resends.some(asksResend) || state === "choose_method") {
    const addresses = distinct(values(fields, "identifier", "address"), codeAddressKey);
    if (addresses.length > 0) charges.push({ type: "mail", addresses });
  }
  const mayCheck = resends.length === 0 || resends.some((r) => !asksResend(r));
  if (mayCheck && state === "sent_email" && raw(fields, "code").some(isSet)) charges.push(codeGuess("login", flow, flowId));
  return charges;
}

/** A registration by code (code/strategy_registration.go): as a code login, to the traits' addresses. */
function registrationCodeCharges(fields: Fields, flow: KratosFlow | undefined, flowId: string): Charge[] {
  const charges: Charge[] = [];
  const resends = raw(fields, "resend");
  const resend = resends.some(asksResend);
  const sentCode = flow?.state === "sent_email";
  if (resend || !sentCode) {
    const addresses = traitAddresses(fields, flow);
    const resendTo = resend && addresses.length === 0 ? [codeSubject("registration", flow, flowId)] : addresses;
    if (resendTo.length > 0) charges.push({ type: "mail", addresses: resendTo });
  }
  const mayCheck = resends.length === 0 || resends.some((r) => !asksResend(r));
  if (mayCheck && sentCode && values(fields, "code").length > 0) charges.push(codeGuess("registration", flow, flowId));
  return charges;
}

/**
 * The charges one submission makes, as Kratos v26.2.0 would run it. `method`
 * decides which strategy runs (a name given twice charges for each). `flow` is
 * the flow as Kratos holds it before this submission (its state says whether a
 * code is being sent or checked, its `active` which strategy runs). Kratos routes
 * GET (and so HEAD) to every submit handler, but only the verification strategies',
 * the link recovery strategy's and the OIDC registration's decoders accept GET, and none accepts HEAD
 * (decoderx validateRequest).
 */
export function chargesFor(kind: GuardedFlow, httpMethod: string, fields: Fields, flow: KratosFlow | undefined, flowId: string): Charge[] {
  if (httpMethod !== "POST" && httpMethod !== "GET") return [];
  if (kind === "verification") return verificationCharges(httpMethod, fields, flow, flowId);
  if (kind === "recovery") return recoveryCharges(httpMethod, fields, flow, flowId);
  if (kind === "registration" && httpMethod === "GET") return startsOidcRegistration(fields) ? [{ type: "registration" }] : [];
  if (httpMethod !== "POST") return [];
  const charges: Charge[] = [];
  if (kind === "registration") charges.push({ type: "registration" });
  const methods = new Set(values(fields, "method"));
  for (const method of methods) {
    if (kind === "login" && method === "password") {
      const identifiers = distinct(values(fields, "identifier", "password_identifier"));
      // Without an identifier and a password Kratos answers "required" and checks nothing.
      if (identifiers.length > 0 && (fields.get("password") ?? []).some((p) => p !== ""))
        charges.push({ type: "attempt", attempt: "password", identifiers });
    } else if (kind === "login" && (method === "totp" || method === "lookup_secret")) {
      const secret = values(fields, method === "totp" ? "totp_code" : "lookup_secret");
      if (secret.length > 0) charges.push({ type: "second_factor", attempt: method });
    } else if (kind === "registration" && method === "code") {
      charges.push(...registrationCodeCharges(fields, flow, flowId));
    }
  }
  if (kind === "login" && (methods.has("code") || selectsLoginCode(fields))) charges.push(...loginCodeCharges(fields, flow, flowId));
  return charges;
}

/**
 * A registration by GET that Kratos runs: the OIDC strategy's decoder takes GET and
 * reads the query (oidc/strategy_registration.go newLinkDecoder,
 * HTTPDecoderAllowedMethods("POST", "GET")), and Register goes on with any `provider`
 * unless `method` names another strategy — to the provider, or with an `id_token`
 * straight to a new account. Charged as its POST twin whatever `method` says: Go
 * lower-cases it (strings.ToLower) unlike JavaScript (U+0130 "İ" becomes "i").
 * An OIDC login by GET costs what its POST twin costs: nothing.
 */
function startsOidcRegistration(fields: Fields): boolean {
  return raw(fields, "provider").some(isSet);
}

/**
 * A login `address` picks the code strategy without `method=code` when second-factor
 * codes are on (code/strategy_login.go Login, after methodEnabledAndAllowedFromRequest);
 * the edge does not read Kratos' configuration and charges it whenever one is given.
 */
export function selectsLoginCode(fields: Fields): boolean {
  return raw(fields, "address").some(isSet);
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
