/**
 * The login identifier's label, from the identity schema, as Kratos' own
 * login.GetIdentifierLabelFromSchema (selfservice/flow/login/
 * extension_identifier_label.go) computes it: the trait that identifies a
 * person for password, code, WebAuthn, passkey or TOTP; when there is exactly
 * one and it has a title, that title (message 1070002, "Email") instead of
 * Kratos' generic 1070004 "ID".
 */

/** Kratos' UI text (the fields Hera reads and writes). */
export interface LabelText {
  id: number;
  text: string;
  type: string;
  context?: object;
}

/** Kratos' generic identifier label, "ID". */
export const ID_LABEL = 1070004;
/** A label taken from the identity schema's `title`. */
export const GENERATED_LABEL = 1070002;

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether a property's `ory.sh/kratos` extension names it an identifier of some credential (Kratos' list, exactly). */
function identifiesSomeone(extension: unknown): boolean {
  const credentials = isObject(extension) && isObject(extension.credentials) ? extension.credentials : {};
  const flag = (type: string, key: string) => {
    const config = credentials[type];
    return isObject(config) && config[key] === true;
  };
  return (
    flag("password", "identifier") ||
    flag("webauthn", "identifier") ||
    flag("passkey", "display_name") ||
    flag("totp", "account_name") ||
    flag("code", "identifier")
  );
}

/** Every identifier property of the schema as `{ path, title }` (paths like `traits.email`). */
function identifierPaths(schema: unknown, prefix = ""): { path: string; title: string | undefined }[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    if (!isObject(property)) return [];
    const own = identifiesSomeone(property["ory.sh/kratos"])
      ? [{ path, title: typeof property.title === "string" ? property.title : undefined }]
      : [];
    return [...own, ...identifierPaths(property, path)];
  });
}

/** The label Kratos would give the identifier for this identity schema (1070002 with the title, else 1070004 "ID"). */
export function identifierLabelFromSchema(schema: unknown): LabelText {
  const paths = identifierPaths(schema);
  const only = paths.length === 1 ? paths[0] : undefined;
  if (only?.title) return { id: GENERATED_LABEL, text: only.title, type: "info", context: { title: only.title, name: only.path } };
  return { id: ID_LABEL, text: "ID", type: "info" };
}

/** One label for every schema a flow may use, or none when they disagree (then "ID" is as precise as it gets). */
export function commonIdentifierLabel(schemas: readonly unknown[]): LabelText | undefined {
  const labels = schemas.map(identifierLabelFromSchema);
  const first = labels[0];
  if (!first || first.id !== GENERATED_LABEL) return undefined;
  return labels.every((label) => label.id === GENERATED_LABEL && label.text === first.text) ? first : undefined;
}

interface LabelledNode {
  attributes: { node_type: string; name?: string };
  meta: { label?: LabelText };
}

/** The flow with its generic "ID" identifier labels replaced by `label` (other labels untouched). */
export function withIdentifierLabel<F extends { ui: { nodes: LabelledNode[] } }>(flow: F, label: LabelText | undefined): F {
  if (!label) return flow;
  const nodes = flow.ui.nodes.map((node) =>
    node.attributes.node_type === "input" && node.attributes.name === "identifier" && node.meta.label?.id === ID_LABEL
      ? { ...node, meta: { ...node.meta, label } }
      : node,
  );
  return { ...flow, ui: { ...flow.ui, nodes } };
}
