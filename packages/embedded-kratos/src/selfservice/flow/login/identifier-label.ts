import { type IdentitySchema, listedPaths, type SchemaRegistry } from "../../../identity/schema-registry";
import { messages, type UiText } from "../../../ui/messages";
import type { LoginFlow } from "../flow";

/**
 * login.GetIdentifierLabelFromSchema: the login identifier is labelled with
 * the title of the one trait that identifies the identity (password, code or
 * webauthn identifier, passkey display name, TOTP account name) — 1070002
 * with the title as text — and "ID" (1070004) when no such trait, or more
 * than one, or one without a title exists.
 */
export function identifierLabelFromSchema(schema: Pick<IdentitySchema, "listed" | "readFailure"> | undefined): UiText {
  const labels = (schema ? listedPaths(schema) : []).filter(({ extension: { credentials: c } }) =>
    Boolean(c?.password?.identifier || c?.webauthn?.identifier || c?.passkey?.display_name || c?.totp?.account_name || c?.code?.identifier),
  );
  const only = labels.length === 1 ? labels[0] : undefined;
  return only?.title ? messages.labelGenerated(only.title, only.name) : messages.labelId();
}

/** The label of a login flow's identifier, from the flow's own schema (`identity_schema`, else the default), as Kratos reads it. */
export function loginIdentifierLabel(schemas: SchemaRegistry, flow: Pick<LoginFlow, "identitySchema">): UiText {
  return identifierLabelFromSchema(schemas.get(flow.identitySchema ?? schemas.defaultId));
}
