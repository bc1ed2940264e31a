import { goToLower, goTrimSpace } from "@olympus/server-kit/text";
import type { JsonObject } from "../../../http/body";
import { copyKeepingJsonTexts } from "../../../http/json-text";
import { UiContainer } from "../../../ui/container";
import { messages } from "../../../ui/messages";
import { inputNode, type InputNode } from "../../../ui/node";
import type { Flow } from "../../flow/flow";
import { RECOVERY_V2_STATES } from "../../flow/recovery/state";
import { refuseWhenSignedIn } from "../../flow/recovery/signed-in";
import { FlowValidationError } from "../../flow/validation-error";
import type { AddressFlowResult, StrategyContext } from "../strategy";
import { mailMessages } from "../mailed-secret/messages";
import { CODE_LENGTH } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { addressChoiceValue, maskAddress, sameText } from "./recovery-address-mask";
import { sendRecoveryCodeTo } from "./recovery-sender";
import { codeState, updateCodeState } from "./state";

/**
 * Recovery v2 of the code strategy (`feature_flags.choose_recovery_address`;
 * selfservice/strategy/code/strategy_recovery.go, the recoveryV2* handlers):
 *
 *   recovery_awaiting_address        any recovery address of the account
 *   recovery_awaiting_address_choice its addresses, masked, one button each
 *   recovery_confirming_address      the chosen one in full, unless it was typed
 *   recovery_awaiting_code           the code, sent by email or SMS
 *
 * An address no account has is answered like an account's only address: the
 * code screen naming it masked, nothing sent (no decoy addresses).
 */

/** The fields a v2 screen submits (decoded as strings; anything else counts as absent). */
interface V2Body {
  recoveryAddress: string;
  selectAddress: string;
  confirmAddress: string;
  code: string;
  screen: string;
}

function readBody(body: JsonObject): V2Body {
  const text = (key: string) => {
    const value = body[key];
    return typeof value === "string" ? value : "";
  };
  return {
    recoveryAddress: text("recovery_address"),
    selectAddress: text("recovery_select_address"),
    confirmAddress: text("recovery_confirm_address"),
    code: text("code"),
    screen: text("screen"),
  };
}

/** The values of a v2 screen's inputs, so a re-render of the screen does not echo the refused body into them. */
export function storedScreenValues(flow: Flow): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const node of flow.ui.nodes) {
    if (node.type !== "input" || node.attributes.type === "submit" || node.attributes.name === "csrf_token") continue;
    values[node.attributes.name] = node.attributes.value;
  }
  return values;
}

/** What the v2 handlers need from the v1 code path (kept in recovery.ts). */
export interface RecoveryCodeUse {
  useCode(flow: Flow, code: string, ctx: StrategyContext): Promise<AddressFlowResult>;
}

/**
 * Recover on a flow in a v2 state, past the method schema and EnsureCSRF:
 * someone signed in is answered first (v2 skips v1's code-first path and its
 * method check), then `screen=previous`, then the state's handler.
 */
export async function submitRecoveryV2(
  flow: Flow,
  body: JsonObject,
  ctx: StrategyContext,
  codes: RecoveryCodeUse,
): Promise<AddressFlowResult> {
  // A GET never gets here: decodeRecovery allows POST only (codeRecovery.decode refuses it).
  if (refuseWhenSignedIn(ctx)) return { kind: "responded" };
  const b = readBody(body);
  return answeringRefusals(flow, async (asLoaded) => {
    if (b.screen === "previous") return goBack(flow, b, ctx, asLoaded);
    return recoveryV2Screen(flow, body, ctx, codes);
  });
}

/**
 * Recover's state switch for the v2 states (flow.state must be one):
 * recoveryV2HandleState…. Refusals are thrown, for the caller to answer.
 */
export function recoveryV2Screen(flow: Flow, body: JsonObject, ctx: StrategyContext, codes: RecoveryCodeUse): Promise<AddressFlowResult> {
  const b = readBody(body);
  switch (flow.state) {
    case RECOVERY_V2_STATES.awaitingAddress:
      return awaitingAddress(flow, b, ctx);
    case RECOVERY_V2_STATES.awaitingAddressChoice:
      return awaitingAddressChoice(flow, b, ctx);
    case RECOVERY_V2_STATES.confirmingAddress:
      return confirmingAddress(flow, b, ctx);
    default:
      // recovery_awaiting_code: no code is the "resend" button, handled as a confirmation again.
      if (b.code === "") {
        flow.state = RECOVERY_V2_STATES.confirmingAddress;
        return confirmingAddress(flow, b, ctx);
      }
      return codes.useCode(flow, b.code, ctx);
  }
}

/**
 * Recover's `screen=previous`, checked before the state on every flow, v1
 * ones included once their method check passed: it turns a v1 flow into a
 * v2 one, as in Kratos.
 */
export function goBackFromV1(flow: Flow, body: JsonObject, ctx: StrategyContext): Promise<AddressFlowResult> {
  return answeringRefusals(flow, (asLoaded) => goBack(flow, readBody(body), ctx, asLoaded));
}

/** The first v2 screen (PopulateRecoveryMethod in recovery_awaiting_address): any recovery address. */
export function renderAwaitingAddress(flow: Flow): void {
  newScreen(flow);
  flow.ui.nodes.push(
    inputNode("code", "recovery_address", "text", { required: true, label: mailMessages.labelRecoveryAddress() }),
    continueNode(),
  );
  rememberScreen(flow);
}

/** A v2 screen rendered again (a refusal of the method schema): its nodes as stored. */
export function renderStoredScreen(flow: Flow): void {
  const stored = codeState(flow).recovery_v2_nodes;
  if (!stored) return renderAwaitingAddress(flow);
  // Stored without the CSRF token, which every v2 screen puts first.
  newScreen(flow);
  flow.ui.nodes.push(...copyKeepingJsonTexts(stored));
}

/**
 * The handlers work on the flow as loaded; a refusal is answered with the
 * flow as it was (Kratos' error handler writes the handler's copy, not the
 * strategy's): messages reset, the refusal's message added, 400.
 */
async function answeringRefusals(flow: Flow, work: (asLoaded: () => void) => Promise<AddressFlowResult>): Promise<AddressFlowResult> {
  const loaded = { ui: copyKeepingJsonTexts(flow.ui.toJSON()), state: flow.state, internal: copyKeepingJsonTexts(flow.internal) };
  const asLoaded = () => {
    flow.ui = UiContainer.fromJSON(copyKeepingJsonTexts(loaded.ui));
    flow.state = loaded.state;
    flow.internal = copyKeepingJsonTexts(loaded.internal);
  };
  try {
    return await work(asLoaded);
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    asLoaded();
    return refuse(flow, error);
  }
}

/** recovery.ErrorHandler.WriteFlowError: ResetMessages, ParseError, the flow with 400. */
function refuse(flow: Flow, error: FlowValidationError): AddressFlowResult {
  flow.ui.clearMessages();
  for (const fe of error.fieldErrors) flow.ui.addMessage(fe.message, fe.name);
  return { kind: "flow", status: 400 };
}

/** recoveryV2HandleStateAwaitingAddress. */
async function awaitingAddress(flow: Flow, b: V2Body, ctx: StrategyContext): Promise<AddressFlowResult> {
  if (b.recoveryAddress === "") throw FlowValidationError.field("recovery_address", messages.required("recovery_address"));
  const owned = await addressesOfOwner(b.recoveryAddress, ctx);
  // An address no account has is treated as an account's only address, so the answer does not tell them apart.
  const addresses = owned.length > 0 ? owned : [b.recoveryAddress];
  if (addresses.length === 1 && addresses[0] === b.recoveryAddress) {
    // Nothing to choose, and the address was typed in full: straight to sending the code.
    flow.state = RECOVERY_V2_STATES.confirmingAddress;
    return confirmingAddress(flow, { ...b, confirmAddress: b.recoveryAddress }, ctx);
  }
  newScreen(flow);
  flow.state = RECOVERY_V2_STATES.awaitingAddressChoice;
  flow.ui.addMessage(mailMessages.recoveryAskToChooseAddress());
  // Go's strings.Compare: byte order.
  const sorted = [...addresses].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  for (const address of sorted) {
    // Only the masked text and the hash leave the server; the hash tells later whether the typed address was chosen.
    flow.ui.nodes.push(
      inputNode("code", "recovery_select_address", "submit", {
        value: addressChoiceValue(ctx.deps.config, flow.id, address),
        label: mailMessages.labelMaskedAddress(maskAddress(address)),
      }),
    );
  }
  flow.ui.nodes.push(hiddenMethodNode(), hiddenAddressNode(b.recoveryAddress));
  rememberScreen(flow);
  return { kind: "flow" };
}

/** recoveryV2HandleStateAwaitingAddressChoice. */
async function awaitingAddressChoice(flow: Flow, b: V2Body, ctx: StrategyContext): Promise<AddressFlowResult> {
  if (b.selectAddress === "") throw FlowValidationError.field("recovery_select_address", messages.required("recovery_select_address"));
  if (b.recoveryAddress === "") throw FlowValidationError.field("recovery_address", messages.required("recovery_address"));
  if (sameText(addressChoiceValue(ctx.deps.config, flow.id, b.recoveryAddress), b.selectAddress)) {
    // The typed address was chosen: no need to ask for it in full.
    flow.state = RECOVERY_V2_STATES.confirmingAddress;
    return confirmingAddress(flow, { ...b, confirmAddress: b.recoveryAddress }, ctx);
  }
  const chosen = (await addressesOfOwner(b.recoveryAddress, ctx)).find((a) =>
    sameText(addressChoiceValue(ctx.deps.config, flow.id, a), b.selectAddress),
  );
  if (chosen === undefined) throw FlowValidationError.flow(messages.generic("The selected recovery address is not valid."));
  newScreen(flow);
  flow.state = RECOVERY_V2_STATES.confirmingAddress;
  flow.ui.addMessage(mailMessages.recoveryAskForFullAddress());
  // The chosen address must be typed in full (proof the person knows it); its kind picks the input.
  const email = chosen.includes("@");
  flow.ui.nodes.push(
    inputNode("code", "recovery_confirm_address", email ? "email" : "tel", {
      value: b.confirmAddress,
      required: true,
      label: email ? mailMessages.labelEmail() : mailMessages.labelPhoneNumber(),
    }),
    hiddenAddressNode(b.recoveryAddress),
    continueNode(),
    hiddenMethodNode(),
    backNode(),
  );
  rememberScreen(flow);
  return { kind: "flow" };
}

/**
 * recoveryV2HandleStateConfirmingAddress: the code goes to the address as
 * typed (never one read from storage), on the channel its form suggests
 * (hackyInferChannel: an `@` means email, anything else SMS); the sender
 * finds out itself whether an account has it.
 */
async function confirmingAddress(flow: Flow, b: V2Body, ctx: StrategyContext): Promise<AddressFlowResult> {
  if (b.confirmAddress === "") throw FlowValidationError.field("recovery_confirm_address", messages.required("recovery_confirm_address"));
  await sendRecoveryCodeTo(flow, b.confirmAddress.includes("@") ? "email" : "sms", b.confirmAddress, ctx);
  newScreen(flow);
  flow.state = RECOVERY_V2_STATES.awaitingCode;
  flow.ui.addMessage(mailMessages.recoveryCodeSentToMasked(maskAddress(b.confirmAddress)));
  flow.ui.nodes.push(
    inputNode("code", "code", "text", {
      required: true,
      pattern: "[0-9]+",
      maxlength: CODE_LENGTH,
      label: mailMessages.labelRecoveryCode(),
    }),
    continueNode(),
    hiddenMethodNode(),
    // The "resend" button submits the address again (and no code).
    inputNode("code", "recovery_confirm_address", "submit", { value: b.confirmAddress, label: mailMessages.labelResend() }),
    hiddenAddressNode(b.recoveryAddress),
    backNode(),
  );
  rememberScreen(flow);
  return { kind: "flow" };
}

/**
 * recoveryV2HandleGoBack: with at most one address for `recovery_address`
 * the flow restarts at the first screen (stored); from the confirmation or
 * code screen the address is then submitted again (the choice, for several
 * addresses). Anything else answers the flow as stored — where Kratos
 * reaches its "unreachable state" error (a 500), e.g. `screen=previous` on
 * the choice screen of an account with several addresses.
 */
async function goBack(flow: Flow, b: V2Body, ctx: StrategyContext, asLoaded: () => void): Promise<AddressFlowResult> {
  const owned = await addressesOfOwner(b.recoveryAddress, ctx);
  let restarted = false;
  if (owned.length <= 1) {
    flow.state = RECOVERY_V2_STATES.awaitingAddress;
    renderAwaitingAddress(flow);
    restarted = true;
  }
  if (flow.state === RECOVERY_V2_STATES.awaitingCode || flow.state === RECOVERY_V2_STATES.confirmingAddress) {
    flow.state = RECOVERY_V2_STATES.awaitingAddress;
    return awaitingAddress(flow, { ...b, confirmAddress: "", selectAddress: "", screen: "" }, ctx);
  }
  if (!restarted) asLoaded();
  return { kind: "flow" };
}

/** FindAllRecoveryAddressesForIdentityByRecoveryAddressValue (the value lower-cased and trimmed). */
async function addressesOfOwner(value: string, ctx: StrategyContext): Promise<string[]> {
  const rows = await secretsFor(ctx.deps.db).findRecoveryAddressesOfOwner(goToLower(goTrimSpace(value)));
  return rows.map((r) => r.value);
}

/** "Re-initialize the UI with a clean new state": no messages, no nodes but the flow's CSRF token. */
function newScreen(flow: Flow): void {
  flow.ui = new UiContainer(flow.ui.action, flow.ui.method);
  flow.ui.setCsrf(flow.csrfToken);
}

/** Keeps the screen's nodes (see CodeState.recovery_v2_nodes). */
function rememberScreen(flow: Flow): void {
  const nodes = flow.ui.nodes.filter((n) => !(n.type === "input" && n.attributes.name === "csrf_token"));
  updateCodeState(flow, { recovery_v2_nodes: copyKeepingJsonTexts(nodes) });
}

const continueNode = (): InputNode => inputNode("code", "method", "submit", { value: "code", label: mailMessages.labelContinue() });
const hiddenMethodNode = (): InputNode => inputNode("code", "method", "hidden", { value: "code" });
const hiddenAddressNode = (value: string): InputNode => inputNode("code", "recovery_address", "hidden", { value });
const backNode = (): InputNode => inputNode("code", "screen", "submit", { value: "previous", label: mailMessages.recoveryBack() });
