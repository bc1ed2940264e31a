import type { Deps } from "../../../deps";
import { duplicateHints, hasHints } from "../../../identity/duplicate-hints";
import type { Identity } from "../../../identity/identity";
import { duplicateCredentialsWithHints } from "../../../ui/duplicate-credentials";
import { messages, type UiText } from "../../../ui/messages";
import type { Flow } from "../flow";
import { FlowValidationError } from "../validation-error";

/**
 * A sign-up refused because an identifier is taken. Kratos finds it in
 * PostRegistrationHook, after the strategy's Register succeeded, so no
 * strategy error handler put the submitted values into the nodes: they keep
 * the stored flow's values (registration/handler.go updateRegistrationFlow
 * → WriteFlowError), which this error carries to echo instead of the body.
 */
export class DuplicateSignUpError extends FlowValidationError {
  override name = "DuplicateSignUpError";
  constructor(message: UiText, storedValues: Record<string, unknown>) {
    super([{ name: undefined, message }], storedValues);
  }
}

/** The values the stored flow's input nodes hold, by name. */
export function storedNodeValues(flow: Flow): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const node of flow.ui.nodes) {
    if (node.type === "input" && node.attributes.value !== undefined) values[node.attributes.name] = node.attributes.value;
  }
  return values;
}

/**
 * The flow message for a sign-up whose identity could not be stored because
 * an identifier or address is taken: registration/error.go WriteFlowError
 * turns identity.ErrDuplicateCredentials into schema.NewDuplicateCredentialsError
 * — 4000028 naming how to sign in to the existing account when
 * `selfservice.flows.registration.login_hints` is on and
 * findExistingAuthMethod found hints, else 4000007.
 */
export async function duplicateCredentialsMessage(deps: Deps, identity: Identity): Promise<UiText> {
  if (deps.config.selfservice.flows.registration.login_hints !== true) return messages.duplicateCredentials();
  const conflict = await conflictingIdentity(deps, identity);
  if (!conflict) return messages.duplicateCredentials();
  const hints = duplicateHints(conflict.identity, conflict.address, conflict.type);
  if (!hasHints(hints)) return messages.duplicateCredentials();
  return duplicateCredentialsWithHints(hints.credentials, hints.providers, hints.identifierHint);
}

interface Conflict {
  identity: Identity;
  address: string;
  /** The credential type, or the address' channel. */
  type: string;
}

/**
 * identity/manager.go ConflictingIdentity: the account holding one of the new
 * identity's credential identifiers (same type), else one of its verifiable
 * addresses, else one of its recovery addresses. Kratos walks the
 * credentials in map order; here in type order, so the answer is stable.
 */
async function conflictingIdentity(deps: Deps, identity: Identity): Promise<Conflict | undefined> {
  const credentials = Object.values(identity.credentials).sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  for (const credential of credentials) {
    for (const identifier of credential.identifiers) {
      const found = await deps.identityRepository.findByCredentialIdentifier(credential.type, identifier);
      if (found) return { identity: found.identity, address: identifier, type: credential.type };
    }
  }
  const tables = [
    ["identity_verifiable_addresses", identity.verifiableAddresses],
    ["identity_recovery_addresses", identity.recoveryAddresses],
  ] as const;
  for (const [table, addresses] of tables) {
    for (const address of addresses) {
      const { rows } = await deps.db.query<{ identity_id: string; value: string }>(
        `SELECT identity_id, value FROM ${table} WHERE via = $1 AND value = $2 LIMIT 1`,
        [address.via, address.value],
      );
      const row = rows[0];
      const found = row ? await deps.identityRepository.get(row.identity_id, { withCredentials: true }) : undefined;
      if (row && found) return { identity: found, address: row.value, type: address.via };
    }
  }
  return undefined;
}
