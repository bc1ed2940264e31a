import type { KratosConfig } from "../../../config/load";
import { isPlainObject } from "../../../config/unknown-keys";
import { errors } from "../../../http/errors";
import type { Identity } from "../../../identity/identity";
import { messages, type UiText } from "../../../ui/messages";
import { inputNode, type InputNode } from "../../../ui/node";
import type { LoginFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import { mailMessages } from "../mailed-secret/messages";
import { appendRaw } from "../mailed-secret/nodes";
import { sessionIdentityWithCredentials } from "../session-identity";
import type { StrategyContext } from "../strategy";
import type { CodeAddress } from "../../../identity/extensions";
import { goSortSliceStable } from "../../../ui/go-sort";
import { findCodeRecipient, maybeNormalizeEmail } from "./addresses";
import { gracefulNormalization } from "../../../identity/normalize";
import { buildLoginCodeSentForm } from "./code-sent-form";
import { codeMethodConfig } from "./config";
import { codeState, updateCodeState } from "./state";

/**
 * One-time codes as a second factor (`selfservice.methods.code.mfa_enabled`,
 * selfservice/strategy/code strategy.go, strategy_login.go, strategy_mfa.go):
 * an aal2 login flow offers a "send code to …" button per code address of the
 * signed-in identity, mails the code to the chosen one and accepts it for the
 * session's own identity only.
 */

/** A place a code can go (code.Address): the address and its channel. */
export interface AddressOption {
  to: string;
  via: string;
}

/** text.NewInfoSelfServiceLoginAAL2CodeAddress. */
export const sendCodeToAddress = (channel: string, to: string): UiText => ({
  id: 1010023,
  text: `Send code to ${to}`,
  type: "info",
  context: { address: to, channel },
});

/** Whether the code strategy takes this aal2 login flow (strategy_login.go Login: passwordless wins, then CheckAAL(aal2)). */
export function handlesSecondFactor(flow: LoginFlow, config: KratosConfig): boolean {
  const code = codeMethodConfig(config);
  return !code.passwordless_enabled && code.mfa_enabled && flow.requestedAal === "aal2";
}

/**
 * Login's dispatch for an aal2 flow (strategy_login.go Login →
 * methodEnabledAndAllowedFromRequest): `method=code`, or any method when
 * the submission carries an `address` (a "send code to" button posts only that).
 */
export function isSecondFactorSubmission(body: Record<string, unknown>, method: string): boolean {
  return method === "code" || (typeof body.address === "string" && body.address !== "");
}

/** The code credential's addresses (strategy_mfa.go FindCodeAddressCandidates' first choice). */
export function codeAddressCandidates(identity: Identity): AddressOption[] {
  const addresses = identity.credentials.code?.config.addresses;
  if (!Array.isArray(addresses)) return [];
  return (addresses as unknown[]).flatMap((entry) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { address, channel } = entry as { address?: unknown; channel?: unknown };
    return typeof address === "string" ? [{ to: address, via: typeof channel === "string" ? channel : "" }] : [];
  });
}

/**
 * strategy_mfa.go FindCodeAddressCandidates: the code credential's addresses;
 * when it has none (or there is no code credential), with
 * `missing_credential_fallback_enabled` every verifiable address
 * (FindAllIdentifiers), else nothing found (undefined).
 */
function findCodeAddressCandidates(identity: Identity, config: KratosConfig): AddressOption[] | undefined {
  const listed = identity.credentials.code?.config.addresses;
  if (Array.isArray(listed) && listed.length > 0) return codeAddressCandidates(identity);
  if (!codeMethodConfig(config).config.missing_credential_fallback_enabled) return undefined;
  return identity.verifiableAddresses.filter((a) => a.via !== "" && a.value !== "").map((a) => ({ to: a.value, via: a.via }));
}

/**
 * strategy.go CountActiveMultiFactorCredentials: with `mfa_enabled`, the
 * code credential's non-empty addresses (a legacy v0 config counts once
 * when its `address_type` is set).
 */
export function countCodeSecondFactors(identity: Identity, config: KratosConfig): number {
  if (!codeMethodConfig(config).mfa_enabled) return 0;
  const credentialConfig = identity.credentials.code?.config;
  if (!credentialConfig) return 0;
  if ("address_type" in credentialConfig)
    return typeof credentialConfig.address_type === "string" && credentialConfig.address_type !== "" ? 1 : 0;
  return codeAddressCandidates(identity).filter((a) => a.to !== "").length;
}

/**
 * strategy.go FindCodeAddresses: every candidate (re-sorted, see
 * sortCodeAddresses), or with `?via=<trait>` the one whose address is that
 * trait's value (400 when the trait is empty or names no code address).
 */
export function findCodeAddresses(identity: Identity, via: string, config: KratosConfig): AddressOption[] {
  if (via === "") return sortCodeAddresses(findCodeAddressCandidates(identity, config) ?? []);
  const raw = traitText(identity.traits, via);
  if (raw === "") throw errors.badRequest(`No value found for trait ${via} in the current identity.`);
  // x.GracefulNormalization: a phone number in E.164, an e-mail lower-cased and trimmed, anything else trimmed.
  const value = gracefulNormalization(raw);
  const candidates = findCodeAddressCandidates(identity, config);
  if (!candidates) return [];
  const found = candidates.find((a) => a.to === value);
  if (!found)
    throw errors.badRequest(
      "You can only reference a trait that matches a verification email address in the via parameter, or a registered credential.",
    );
  return [found];
}

/**
 * FindCodeAddresses' sort.SliceStable, whose less holds only when both the
 * address and the channel compare less (Go's byte-wise string order). That
 * is no ordering: it moves an e-mail address only past a phone number
 * sorting after it, and stops at any other address — so Go's own algorithm
 * runs here (goSortSliceStable), not a comparator of our own.
 */
export function sortCodeAddresses(addresses: readonly AddressOption[]): AddressOption[] {
  const sorted = [...addresses];
  const goLess = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
  goSortSliceStable(sorted, (a, b) => goLess(a.to, b.to) && goLess(a.via, b.via));
  return sorted;
}

/**
 * gjson's `.String()` of a dotted trait path: strings as they are, other
 * values as JSON text, nothing as "". The path comes from the query, so only
 * the traits' own keys and array indexes are walked — never inherited ones
 * such as `constructor` or `__proto__`.
 */
function traitText(traits: unknown, path: string): string {
  let current: unknown = traits;
  for (const segment of path.split(".")) {
    if (Array.isArray(current)) current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    else if (isPlainObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return "";
  }
  if (current === undefined || current === null) return "";
  return typeof current === "string" ? current : (JSON.stringify(current) ?? "");
}

/** The `via` the flow was created with: read from the query once, then kept (Kratos keeps the nodes it built). */
function flowVia(flow: LoginFlow, ctx: StrategyContext): string {
  const stored = codeState(flow).mfa_via;
  if (stored !== undefined) return stored;
  const via = ctx.http.query.get("via") ?? "";
  updateCodeState(flow, { mfa_via: via });
  return via;
}

const addressNode = (address: AddressOption): InputNode =>
  inputNode("code", "address", "submit", { value: address.to, label: sendCodeToAddress(address.via, address.to) });

/**
 * PopulateLoginMethodSecondFactor (strategy.go populateChooseMethodFlow): an
 * address button per code address of the session's identity.
 */
export async function populateSecondFactor(flow: LoginFlow, ctx: StrategyContext): Promise<void> {
  if (flow.state === "sent_email") return;
  const identity = await sessionIdentityWithCredentials(ctx);
  if (!identity) return;
  // Nodes.Append keeps every button, however many share the name `address`.
  appendRaw(flow, ...findCodeAddresses(identity, flowVia(flow, ctx), ctx.deps.config).map(addressNode));
}

/**
 * The form once a code was sent (strategy.go populateEmailSentFlow): the
 * inputs rememberSentIdentifiers kept (the first replaced, once a code was
 * refused, by the plain hidden `identifier` HandleLoginError upserts), then
 * the rest of buildLoginCodeSentForm, and the "code sent" note alone. Runs
 * once all strategies have populated, as it replaces their nodes too.
 */
export async function finishSecondFactorCodeSent(flow: LoginFlow, ctx: StrategyContext): Promise<void> {
  if (flow.state !== "sent_email") return;
  const identity = await sessionIdentityWithCredentials(ctx);
  if (!identity) return;
  const { mfa_sent_identifiers: kept = [], mfa_identifier_shown: shown } = codeState(flow);
  flow.ui.clearMessages();
  flow.ui.addMessage(mailMessages.loginCodeSent());
  const identifiers = kept.flatMap((n, i): InputNode[] => {
    if (n.type !== "input") return [];
    if (i === 0 && shown !== undefined) return [inputNode("default", "identifier", "hidden", { value: shown })];
    return [{ ...n, attributes: { ...n.attributes } }];
  });
  buildLoginCodeSentForm(flow, identifiers);
}

/**
 * populateEmailSentFlow's take-over, when a code is sent: the stored form's
 * `identifier` and `address` inputs (address buttons, or the hidden
 * inputs of an earlier sending), in its order, hidden and named
 * `identifier`, the first holding the address sent (NewCodeUINodes).
 */
export function rememberSentIdentifiers(flow: LoginFlow, identifier: string): void {
  const kept = flow.ui.nodes.flatMap((n): InputNode[] =>
    n.type === "input" && (n.attributes.name === "identifier" || n.attributes.name === "address")
      ? [{ ...n, attributes: { ...n.attributes, name: "identifier", type: "hidden" } }]
      : [],
  );
  const [first] = kept;
  if (first) first.attributes.value = identifier;
  updateCodeState(flow, { mfa_sent_identifiers: kept });
}

/**
 * Login's first step on an aal2 flow (state choose_method, or `resend=code`):
 * the address is the `identifier` or else the `address` sent
 * (cmp.Or(p.Identifier, p.Address)), e-mails lower-cased; findCodeRecipient
 * (findIdentityForIdentifier) names the identity and its addresses.
 *
 * Deliberate deviation (security): Kratos' findIdentityForIdentifier takes
 * any identity's address here, letting a signed-in person have codes mailed
 * to others and learn which addresses exist. Only the session identity gets
 * a code; another's address is answered as an unknown one.
 */
export async function secondFactorRecipient(
  body: Record<string, unknown>,
  ctx: StrategyContext,
): Promise<{ identifier: string; identity: Identity; addresses: CodeAddress[] }> {
  const sent = [body.identifier, body.address].find((v): v is string => typeof v === "string" && v !== "") ?? "";
  // strategy_login.go maybeNormalizeEmail.
  const identifier = maybeNormalizeEmail(sent);
  if (identifier === "") throw FlowValidationError.field("identifier", messages.required("identifier"));
  const session = await sessionIdentityWithCredentials(ctx);
  const found = session ? await findCodeRecipient(ctx.deps, identifier, session) : { refusal: mailMessages.noCodeUser() };
  if ("refusal" in found) throw FlowValidationError.flow(found.refusal);
  return { identifier, ...found };
}

/**
 * strategy_login.go FastLogin2FA: a new aal2 flow of an identity whose only
 * second factor is a single code address gets its code at once. Returns
 * the address and its owner, or undefined when the flow is left to choose.
 */
export async function fastSecondFactorRecipient(
  flow: LoginFlow,
  ctx: StrategyContext,
): Promise<{ identifier: string; identity: Identity; addresses: CodeAddress[] } | undefined> {
  if (flow.requestedAal !== "aal2" || !codeMethodConfig(ctx.deps.config).mfa_enabled || flow.state !== "choose_method") return undefined;
  const identity = await sessionIdentityWithCredentials(ctx);
  if (!identity) return undefined;
  const addresses = findCodeAddresses(identity, flowVia(flow, ctx), ctx.deps.config);
  const only = addresses.length === 1 ? addresses[0] : undefined;
  if (!only) return undefined;
  // The address is the identity's own, so it is found (Kratos would fail the flow otherwise).
  const found = await findCodeRecipient(ctx.deps, only.to, identity);
  if ("refusal" in found) return undefined;
  const fallback = codeMethodConfig(ctx.deps.config).config.missing_credential_fallback_enabled;
  if (countCodeSecondFactors(identity, ctx.deps.config) === 0 && !fallback) return undefined;
  if (ctx.deps.aal.otherSecondFactorTypes(identity, "code") > 0) return undefined;
  return { identifier: only.to, ...found };
}
