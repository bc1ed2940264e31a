import type { KratosConfig } from "../../../config/load";
import type { Identity } from "../../../identity/identity";
import type { UiNode } from "../../../ui/node";
import { contextObject } from "../../../ui/messages";
import type { Deps } from "../../../deps";
import type { LoginFlow } from "../../flow/flow";
import { duplicateHints } from "../../../identity/duplicate-hints";
import { oidcMessages } from "./messages";

/** What a duplicate sign-up is told about the existing account (ErrDuplicateCredentials' hints). */
export interface LoginHints {
  /** First-factor credential types the account can sign in with, sorted by type. */
  credentials: string[];
  /** Providers linked to the account. */
  providers: string[];
}

/** `selfservice.flows.registration.login_hints` (default false, as in Kratos). */
export const loginHintsEnabled = (config: KratosConfig) => config.selfservice.flows.registration.login_hints === true;

/**
 * identity/manager.go findExistingAuthMethod: the account's credentials and
 * linked providers that help someone sign in to it (identity/duplicate-hints.ts,
 * shared with the registration flow's 4000028).
 */
export function loginHintsFor(identity: Identity): LoginHints {
  const { credentials, providers } = duplicateHints(identity, "", "");
  return { credentials, providers };
}

/**
 * The hints for the account owning `identifier` (a credential identifier,
 * else a verifiable address, as ConflictingIdentity finds it), or undefined
 * when login hints are off — Kratos then leaves both lists empty (null).
 */
export async function loginHintsForIdentifier(deps: Deps, identifier: string): Promise<LoginHints | undefined> {
  if (!loginHintsEnabled(deps.config)) return undefined;
  const owner = await ownerOf(deps, identifier);
  return owner ? loginHintsFor(owner) : { credentials: [], providers: [] };
}

async function ownerOf(deps: Deps, identifier: string): Promise<Identity | undefined> {
  const [byIdentifier] = await deps.identityRepository.list({ pageSize: 1, credentialsIdentifier: identifier, withCredentials: true });
  if (byIdentifier) return byIdentifier;
  const { rows } = await deps.db.query<{ identity_id: string }>("SELECT identity_id FROM identity_verifiable_addresses WHERE value = $1", [
    identifier,
  ]);
  return rows[0] ? await deps.identityRepository.get(rows[0].identity_id, { withCredentials: true }) : undefined;
}

/**
 * strategy.go populateAccountLinkingUI, applied to the login form every
 * strategy rendered (the strategy's finishForm): the provider tried
 * is left out; with login hints, so are providers the account has not
 * linked and every method group the account cannot use; "Sign in" and
 * "Sign in with …" read "Sign in and link" / "Confirm with …"; nodes of the
 * default group and nodes without a label always stay. The identifier is
 * fixed (hidden) to the address in use.
 */
export function applyAccountLinkingUi(
  flow: LoginFlow,
  usedProvider: string | undefined,
  duplicateIdentifier: string,
  hints: LoginHints | undefined,
): void {
  const kept: UiNode[] = [];
  for (const node of flow.ui.nodes) {
    const label = node.meta.label;
    if (!label || node.group === "default") {
      kept.push(node);
      continue;
    }
    if (node.group === "oidc") {
      const providerId = textOf(contextObject(label)?.provider_id);
      if (providerId === usedProvider) continue;
      if (hints && !hints.providers.includes(providerId)) continue;
    }
    if (label.id === 1010001) node.meta.label = oidcMessages.loginAndLink();
    else if (label.id === 1010002) node.meta.label = oidcMessages.loginWithAndLink(textOf(contextObject(label)?.provider));
    if (!hints || hints.credentials.includes(node.group)) kept.push(node);
  }
  const identifier = flow.ui.findInput("identifier");
  if (identifier) {
    identifier.attributes.type = "hidden";
    identifier.attributes.value = duplicateIdentifier;
  }
  flow.ui.nodes = kept;
}

const textOf = (v: unknown) => (typeof v === "string" ? v : "");
