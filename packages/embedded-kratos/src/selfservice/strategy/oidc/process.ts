import type { HttpContext } from "../../../http/context";
import { KratosError } from "../../../http/errors";
import type { Identity } from "../../../identity/identity";
import { DuplicateIdentifierError } from "../../../identity/repository";
import type { FieldError } from "../../../identity/schema-registry";
import type { Session } from "../../../session/session";
import { UiContainer } from "../../../ui/container";
import { createFlow, requireEnabled, respondWithValidationError, writeFlowError } from "../../flow/engine";
import type { FlowDeps } from "../../flow/flow-deps";
import { flowActionUrl, urlWithFlow, writeStrategyState, type LoginFlow, type RegistrationFlow } from "../../flow/flow";
import { loginFlow } from "../../flow/login/definition";
import { completeLogin } from "../../flow/login/hooks";
import { DUPLICATE_CREDENTIALS_KEY, type DuplicateCredentials } from "../../flow/login/link-credentials";
import { registrationFlow } from "../../flow/registration/definition";
import { completeRegistration } from "../../flow/registration/hooks";
import { runAfterHooks } from "../../hook/registry";
import { registrationSchemaId } from "../../flow/registration/schema";
import { traitNodes } from "../../flow/trait-nodes";
import { hydrateOAuth2LoginRequest } from "../../flow/oauth2-login";
import { moveToNewFlow } from "../../flow/token-exchange";
import { FlowValidationError } from "../../flow/validation-error";
import { oidcAuthenticationMethod } from "./authentication-method";
import type { Claims } from "./claims";
import type { ProviderTokens } from "./client";
import type { OidcProvider } from "./config";
import { linksOf, newLink, oidcIdentifier } from "./credential";
import { loginHintsEnabled, loginHintsFor } from "./linking";
import { runMapper } from "./mapper";
import { oidcMessages } from "./messages";
import { providerNode } from "./nodes";
import { now as timeNow } from "../../../clock/clock";

export interface CallbackResult {
  provider: OidcProvider;
  claims: Claims;
  tokens: ProviderTokens | undefined;
  /** Traits the form carried when the button was pressed (they win over the mapper's). */
  traits: Record<string, unknown> | undefined;
}

/**
 * ProcessLogin: a known `<provider>:<subject>` signs in (login hooks,
 * session); an unknown one starts a registration flow carrying the login
 * flow's return_to and login challenge and signs up there.
 */
export async function processLogin(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: LoginFlow,
  session: Session | undefined,
  result: CallbackResult,
): Promise<void> {
  const sctx = { deps, http: ctx, session };
  try {
    const found = await deps.identityRepository.findByCredentialIdentifier("oidc", oidcIdentifier(result.provider.id, result.claims.sub));
    if (!found) {
      requireEnabled(deps, registrationFlow);
      const registration = await createFlow(deps, registrationFlow, ctx, flow.type, {
        returnTo: flow.returnTo,
        requestUrl: flow.requestUrl,
        prepare: (f) => {
          f.oauth2LoginChallenge = flow.oauth2LoginChallenge;
          f.active = "oidc";
        },
      });
      // MoveToNewFlow: a native app's session token exchange follows the sign-up.
      await moveToNewFlow(deps, flow.id, registration.id);
      return await processRegistration(deps, ctx, registration, result);
    }
    const linked = linksOf(found.identity).some((l) => l.provider === result.provider.id && l.subject === result.claims.sub);
    if (!linked) {
      throw new KratosError(500, { reason: "Unable to find matching OpenID Connect credentials." }).withDetail(
        "identity_id",
        found.identity.id,
      );
    }
    flow.active = "oidc";
    await completeLogin(deps, ctx, flow, { identity: found.identity, method: oidcAuthenticationMethod(result.provider) }, session);
  } catch (error) {
    if (error instanceof FlowValidationError) return respondWithValidationError(deps, loginFlow, ctx, flow, {}, error, sctx);
    if (error instanceof KratosError) return writeFlowError(deps, loginFlow, ctx, flow, error, {}, sctx);
    throw error;
  }
}

/**
 * processRegistration: an already registered `<provider>:<subject>` is
 * sent to a login flow instead; otherwise the mapper's traits (merged with
 * those of the form) are validated — invalid ones show the registration
 * form again with the values and the errors — and the identity is created
 * with the oidc credential, the addresses the mapper vouches for marked
 * verified. An address already used by another account starts Kratos'
 * account linking.
 */
export async function processRegistration(deps: FlowDeps, ctx: HttpContext, flow: RegistrationFlow, result: CallbackResult): Promise<void> {
  const sctx = { deps, http: ctx };
  const { provider, claims } = result;
  try {
    const identifier = oidcIdentifier(provider.id, claims.sub);
    if (await deps.identityRepository.findByCredentialIdentifier("oidc", identifier)) {
      const login = await registrationToLogin(deps, ctx, flow, undefined);
      return await processLogin(deps, ctx, login, undefined, result);
    }

    const mapped = await runMapper(deps.config, provider, claims);
    const traits = mergeTraits(mapped.traits, result.traits);
    const schemaId = registrationSchemaId(flow, deps.schemas.defaultId);
    const problems = await deps.identities.validateTraits(schemaId, traits);
    if (problems.length > 0) return await showRegistrationForm(deps, ctx, flow, provider, schemaId, traits, problems);

    // strategy_registration.go: the provider's verified addresses are stamped time.Now().UTC().Round(time.Second).
    const now = timeNow().roundSeconds();
    const identity = await deps.identities.build({
      schemaId,
      traits,
      metadataPublic: mapped.metadataPublic,
      metadataAdmin: mapped.metadataAdmin,
      credentials: {
        oidc: { identifiers: [identifier], config: { providers: [newLink(deps.config, provider.id, claims.sub, result.tokens)] } },
      },
      verifiableAddresses: mapped.verifiedAddresses.map((a) => ({
        value: a.value,
        via: a.via,
        verified: true,
        status: "completed",
        verifiedAt: now,
      })),
    });
    identity.availableAal = deps.aal.availableFor(identity);
    flow.active = "oidc";
    // PostRegistrationHook's pre-persist hooks (web_hook with can_interrupt / response.parse) may stop or change the sign-up.
    await runAfterHooks(deps, "registration", "oidc", "pre", { ctx, flow, identity });
    try {
      await deps.identityRepository.create(identity);
    } catch (error) {
      if (error instanceof DuplicateIdentifierError) return await startAccountLinking(deps, ctx, flow, provider, identity);
      throw error;
    }
    await completeRegistration(deps, ctx, flow, { identity, method: oidcAuthenticationMethod(provider) });
  } catch (error) {
    if (error instanceof FlowValidationError) return respondWithValidationError(deps, registrationFlow, ctx, flow, {}, error, sctx);
    if (error instanceof KratosError) return writeFlowError(deps, registrationFlow, ctx, flow, error, {}, sctx);
    throw error;
  }
}

/** merge: the form's traits override the mapper's, key by key (mergo.WithOverride). */
function mergeTraits(fromProvider: Record<string, unknown>, fromForm: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fromForm || Object.keys(fromForm).length === 0) return fromProvider;
  const out: Record<string, unknown> = { ...fromProvider };
  for (const [key, value] of Object.entries(fromForm)) {
    const current = out[key];
    const bothObjects = isObject(current) && isObject(value);
    if (bothObjects) out[key] = mergeTraits(current, value);
    else if (value !== undefined && value !== null && value !== "") out[key] = value;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * HandleError of a registration flow with traits: the form is replaced by the
 * provider's "Continue" button and the schema's trait inputs, filled with
 * the mapped values and carrying the validation errors.
 */
async function showRegistrationForm(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: RegistrationFlow,
  provider: OidcProvider,
  schemaId: string,
  traits: Record<string, unknown>,
  problems: FieldError[],
): Promise<void> {
  flow.ui = new UiContainer(flowActionUrl(deps.config.publicBaseUrl, "registration", flow.id));
  flow.ui.setCsrf(flow.csrfToken);
  flow.ui.nodes.push(providerNode(provider.id, oidcMessages.registrationContinue()));
  flow.ui.nodes.push(...traitNodes(deps.identities.schemaOf(schemaId), "default", traits));
  for (const problem of problems) flow.ui.addMessage(problem.message, problem.name);
  await deps.flows.save(flow);
  const uiUrl = registrationFlow.uiUrl(deps.config);
  if (flow.type === "browser" && !ctx.acceptsJson && uiUrl) {
    ctx.redirect(urlWithFlow(uiUrl, flow.id), 302);
    return;
  }
  // The registration ErrorHandler writes this answer: with Hydra's login request looked up.
  await hydrateOAuth2LoginRequest(deps, flow);
  ctx.json(400, await registrationFlow.toJson(flow, deps));
}

/** registrationToLogin: a login flow with the sign-up's return_to, login challenge and request URL. */
async function registrationToLogin(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: RegistrationFlow,
  duplicate: DuplicateCredentials | undefined,
): Promise<LoginFlow> {
  const login = await createFlow(deps, loginFlow, ctx, flow.type, {
    returnTo: flow.returnTo,
    requestUrl: flow.requestUrl,
    prepare: (f) => {
      f.oauth2LoginChallenge = flow.oauth2LoginChallenge;
      f.active = "oidc";
      if (duplicate) writeStrategyState(f, DUPLICATE_CREDENTIALS_KEY, duplicate);
    },
  });
  // MoveToNewFlow: a native app's session token exchange follows the login.
  await moveToNewFlow(deps, flow.id, login.id);
  return login;
}

/**
 * HandleError on ErrDuplicateCredentials: the address belongs to another
 * account, so the person is sent to a login flow that keeps the oidc
 * credential waiting, shows message 1010016 and fixes the identifier; the
 * credential is linked only after they sign in to that account.
 */
async function startAccountLinking(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: RegistrationFlow,
  provider: OidcProvider,
  identity: Identity,
): Promise<void> {
  const conflict = await conflictingIdentity(deps, identity);
  const duplicateIdentifier = conflict?.identifier ?? identity.verifiableAddresses[0]?.value ?? "";
  const credential = identity.credentials.oidc;
  const login = await registrationToLogin(deps, ctx, flow, {
    CredentialsType: "oidc",
    CredentialsConfig: credential?.config ?? {},
    DuplicateIdentifier: duplicateIdentifier,
    Provider: provider.id,
  });
  const loginUi = deps.config.selfservice.flows.login.ui_url ?? "";
  // findExistingAuthMethod: hints only with login_hints (Kratos' lists are then nil, JSON null).
  const hints = loginHintsEnabled(deps.config)
    ? conflict
      ? loginHintsFor(conflict.identity)
      : { credentials: [], providers: [] }
    : undefined;
  login.ui.clearMessages();
  login.ui.addMessage(
    oidcMessages.loginToLink(duplicateIdentifier, provider.linkingLabel, loginUi, hints?.credentials ?? null, hints?.providers ?? null),
  );
  await deps.flows.save(login);

  if (ctx.acceptsJson) {
    ctx.json(400, await loginFlow.toJson(login, deps));
    return;
  }
  const target =
    login.type === "api" ? (deps.returnTo.target(flow.returnTo) ?? deps.config.selfservice.default_browser_return_url) : loginUi;
  const redirect = new URL(target ? urlWithFlow(target, login.id) : `${deps.config.publicBaseUrl}self-service/login/flows?id=${login.id}`);
  redirect.searchParams.set("no_org_ui", "true");
  ctx.redirect(redirect.toString());
}

/** IdentityManager.ConflictingIdentity: the account already using one of the new identity's addresses, and that address. */
async function conflictingIdentity(deps: FlowDeps, identity: Identity): Promise<{ identity: Identity; identifier: string } | undefined> {
  for (const address of identity.verifiableAddresses) {
    const [byIdentifier] = await deps.identityRepository.list({ pageSize: 1, credentialsIdentifier: address.value, withCredentials: true });
    if (byIdentifier) return { identity: byIdentifier, identifier: address.value };
    const { rows } = await deps.db.query<{ identity_id: string }>(
      "SELECT identity_id FROM identity_verifiable_addresses WHERE via = $1 AND value = $2",
      [address.via, address.value],
    );
    const owner = rows[0] ? await deps.identityRepository.get(rows[0].identity_id, { withCredentials: true }) : undefined;
    if (owner) return { identity: owner, identifier: address.value };
  }
  return undefined;
}
