import { now as timeNow } from "../../../clock/clock";
import { errors } from "../../../http/errors";
import type { Identity } from "../../../identity/identity";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import { CompletedByStrategy } from "../../flow/completed-by-strategy";
import { urlWithFlow, type LoginFlow } from "../../flow/flow";
import { loginFlow as loginDefinition } from "../../flow/login/definition";
import { loginIdentifierLabel } from "../../flow/login/identifier-label";
import { FlowValidationError } from "../../flow/validation-error";
import { sessionIdentityWithCredentials } from "../session-identity";
import type { LoginResult, LoginStrategy, StrategyContext } from "../strategy";
import { authenticationOptions, readAuthenticationResponse, verifyAuthentication } from "../webauthn/ceremony";
import { credentialsForAal, webauthnConfigOf } from "../webauthn/credential";
import { webauthnMessages } from "../webauthn/messages";
import { scriptNode } from "../webauthn/nodes";
import { passkeyConfig } from "./config";
import { passkeyConfigOf, submittedPasskey } from "./credential";
import { passkeyDisplayName } from "./display-name";
import { passkeyInternal, setPasskeyInternal } from "./internal";
import { challengeNode, loginInputNode, loginTriggerNode } from "./nodes";

/**
 * Sign-in with a passkey (passkey_login.go), a first factor for browser and
 * API flows: the authenticator picks a discoverable key and names its user
 * (the user handle, the `passkey` credential's identifier).
 */
export const passkeyLogin: LoginStrategy = {
  // Login: a `passkey_login` value or `method: passkey` (the two ways its form is sent); else ErrStrategyNotResponsible.
  responsible: ({ method, body }) => method === "passkey" || submittedPasskey(body, "passkey_login") !== "",
  // passkey_login.go Login: MethodEnabledAndAllowed comes after its decoderx.Decode and before EnsureCSRF.
  enabledCheck: "after-decode",

  async populate(flow, ctx) {
    if (flow.requestedAal === "aal2") return; // PopulateLoginMethodSecondFactor: nothing
    if (flow.refresh) {
      await populateRefresh(flow, ctx); // PopulateLoginMethodFirstFactorRefresh
      return;
    }
    await populateDiscoverable(flow, ctx); // PopulateLoginMethodFirstFactor
    flow.ui.nodes.push(loginTriggerNode(flow.type === "browser"));
  },

  // PopulateLoginMethodIdentifierFirstIdentification: the autocomplete inputs, no button.
  populateIdentification: (flow, ctx) => populateDiscoverable(flow, ctx),

  // PopulateLoginMethodIdentifierFirstCredentials: the button when the account has passkeys (any account under mitigation).
  populateIdentifierFirstCredentials(flow, { identity }, ctx) {
    const found = identity !== undefined && (passkeyConfigOf(identity)?.credentials.length ?? 0) > 0 && hasIdentifier(identity);
    if (found || ctx.deps.config.security.account_enumeration.mitigate) flow.ui.nodes.push(loginTriggerNode(flow.type === "browser"));
    return found;
  },

  async submit(flow, body, ctx) {
    // loginPasswordless: CheckAAL(aal1) is ErrStrategyNotResponsible.
    if (flow.requestedAal === "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
    const login = submittedPasskey(body, "passkey_login");
    if (login === "") return sendToPasskeyForm(flow, ctx);
    return authenticate(flow, login, ctx);
  },
};

const hasIdentifier = (identity: Identity) => (identity.credentials.passkey?.identifiers.join("") ?? "") !== "";

/** populateLoginMethodForPasskeys: the identifier input for autocomplete and discoverable-login options. */
async function populateDiscoverable(flow: LoginFlow, ctx: StrategyContext): Promise<void> {
  const browser = flow.type === "browser";
  const { optionsJson, challenge } = await authenticationOptions(passkeyConfig(ctx.deps.config), undefined, "passkey");
  setPasskeyInternal(flow, { login: { challenge } });
  flow.ui.upsert(
    inputNode("default", "identifier", "text", {
      value: "",
      required: true,
      autocomplete: "username webauthn",
      label: loginIdentifierLabel(ctx.deps.schemas, flow),
    }),
  );
  flow.ui.upsert(challengeNode(optionsJson));
  if (browser) flow.ui.upsert(scriptNode(ctx.deps.config.publicBaseUrl));
  flow.ui.upsert(loginInputNode(true, browser));
}

/** Refresh: options for the session identity's passkeys, with its display name as the (hidden) identifier. */
async function populateRefresh(flow: LoginFlow, ctx: StrategyContext): Promise<void> {
  const identity = await sessionIdentityWithCredentials(ctx);
  if (!identity || !hasIdentifier(identity)) return;
  const config = passkeyConfigOf(identity);
  if (!config || config.credentials.length === 0) return;
  const browser = flow.type === "browser";
  const name = passkeyDisplayName(ctx.deps.identities.schemaOf(identity.schemaId), identity.traits);
  const { optionsJson, challenge } = await authenticationOptions(passkeyConfig(ctx.deps.config), config.credentials, "passkey");
  setPasskeyInternal(flow, { login: { challenge } });
  flow.ui.upsert(challengeNode(optionsJson));
  if (browser) flow.ui.nodes.push(scriptNode(ctx.deps.config.publicBaseUrl));
  flow.ui.upsert(loginInputNode(false, browser));
  flow.ui.nodes.push(loginTriggerNode(browser));
  flow.ui.upsert(inputNode("default", "identifier", "hidden", { value: name }));
}

/**
 * `method: passkey` without an answer (a form posted without JavaScript):
 * Kratos sends the browser back to the login UI (303), a JSON client gets
 * 422 browser_location_change_required pointing there.
 */
function sendToPasskeyForm(flow: LoginFlow, ctx: StrategyContext): never {
  const uiUrl = loginDefinition.uiUrl(ctx.deps.config) ?? `${ctx.deps.config.publicBaseUrl}self-service/login/browser`;
  const target = urlWithFlow(uiUrl, flow.id);
  if (ctx.http.isJsonRequest) throw errors.browserLocationChangeRequired(target);
  ctx.http.redirect(target);
  throw new CompletedByStrategy();
}

/** loginAuthenticate: find the key's owner by user handle (then, for old keys, as `webauthn`) and verify. */
async function authenticate(flow: LoginFlow, login: string, ctx: StrategyContext): Promise<LoginResult> {
  const response = readAuthenticationResponse(login);
  if (!response) throw errors.badRequest("Unable to parse WebAuthn response.");
  const challenge = passkeyInternal(flow).login?.challenge;
  if (!challenge) throw errors.internal();

  const userHandle = Buffer.from(response.response.userHandle ?? "", "base64url");
  const repository = ctx.deps.identityRepository;
  const handleText = textOf(userHandle);
  const asPasskey = handleText === undefined ? undefined : await repository.findByCredentialIdentifier("passkey", handleText);
  const identity = asPasskey?.identity ?? (await repository.findByWebauthnUserHandle(userHandle));
  if (!identity) throw FlowValidationError.flow(webauthnMessages.noSuchUser());
  const stored = asPasskey ? passkeyConfigOf(identity) : webauthnConfigOf(identity);
  if (!stored) throw FlowValidationError.flow(webauthnMessages.noDevice());

  // ValidateDiscoverableLogin with the owner's passwordless keys (Credentials.PasswordlessOnly).
  const verified = await verifyAuthentication(passkeyConfig(ctx.deps.config), login, challenge, credentialsForAal(stored, "aal1"));
  if (!verified) throw FlowValidationError.flow(webauthnMessages.verifierWrong());
  // A challenge answers once.
  setPasskeyInternal(flow, { login: undefined });
  return { identity, method: { method: "passkey", aal: "aal1", completed_at: timeNow().toISOString() } };
}

/**
 * The user handle as the text identifier it was stored as (Go's
 * string(bytes)); undefined for bytes Postgres text cannot hold, which can
 * name no stored identifier.
 */
function textOf(bytes: Buffer): string | undefined {
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes) && !text.includes("\0") ? text : undefined;
}
