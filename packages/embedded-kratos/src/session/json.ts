import { cipherFor } from "../cipher/cipher";
import type { Deps } from "../deps";
import { identityToJson, type Identity } from "../identity/identity";
import { sessionToJson, type Session } from "./session";

/** Identity as public endpoints render it (no credentials, no metadata_admin). */
export function publicIdentityJson(deps: Pick<Deps, "schemas">, identity: Identity, keptText = false): Record<string, unknown> {
  return identityToJson(identity, { schemaUrl: deps.schemas.schemaUrl(identity.schemaId), keptText });
}

export function adminIdentityJson(
  deps: Pick<Deps, "schemas" | "config">,
  identity: Identity,
  includeCredentialConfig?: ReadonlySet<string>,
): Record<string, unknown> {
  return identityToJson(identity, {
    schemaUrl: deps.schemas.schemaUrl(identity.schemaId),
    admin: true,
    includeCredentialConfig,
    // The running config's cipher (a reloaded secret list applies at once), as Kratos' handler passes its cipher provider.
    cipher: includeCredentialConfig?.has("oidc") ? cipherFor(deps.config) : undefined,
  });
}

/** `keptText`: traits and metadata as Postgres keeps their text (answers only; see identityToJson). */
export function publicSessionJson(deps: Pick<Deps, "schemas">, session: Session, keptText = false): Record<string, unknown> {
  return sessionToJson(session, session.identity ? publicIdentityJson(deps, session.identity, keptText) : undefined);
}

export function adminSessionJson(deps: Pick<Deps, "schemas" | "config">, session: Session): Record<string, unknown> {
  return sessionToJson(session, session.identity ? adminIdentityJson(deps, session.identity) : undefined);
}
