import type { UiText } from "./messages";

/**
 * A UI node group, named as in Kratos (ui/node/node.go): `default` for the
 * flow's own nodes (CSRF token, traits, identifier), otherwise the id of the
 * strategy that added the node (`password`, `code`, `webauthn`, ...).
 */
export type NodeGroup = "default" | (string & {});

export interface InputAttributes {
  name: string;
  type: string;
  value?: unknown;
  required?: boolean;
  disabled: boolean;
  autocomplete?: string;
  pattern?: string;
  maxlength?: number;
  label?: UiText;
  onclick?: string;
  onclickTrigger?: string;
  onload?: string;
  onloadTrigger?: string;
  node_type: "input";
}

export interface TextAttributes {
  text: UiText;
  id: string;
  node_type: "text";
}
export interface ImageAttributes {
  src: string;
  id: string;
  width: number;
  height: number;
  node_type: "img";
}
export interface AnchorAttributes {
  href: string;
  title: UiText;
  id: string;
  node_type: "a";
}
export interface ScriptAttributes {
  src: string;
  async: boolean;
  referrerpolicy: string;
  crossorigin: string;
  integrity: string;
  type: string;
  id: string;
  nonce: string;
  node_type: "script";
}
export interface DivAttributes {
  id: string;
  class?: string;
  data?: Record<string, string>;
  node_type: "div";
}

export type UiNode =
  | { type: "input"; group: NodeGroup; attributes: InputAttributes; messages: UiText[]; meta: NodeMeta }
  | { type: "text"; group: NodeGroup; attributes: TextAttributes; messages: UiText[]; meta: NodeMeta }
  | { type: "img"; group: NodeGroup; attributes: ImageAttributes; messages: UiText[]; meta: NodeMeta }
  | { type: "a"; group: NodeGroup; attributes: AnchorAttributes; messages: UiText[]; meta: NodeMeta }
  | { type: "script"; group: NodeGroup; attributes: ScriptAttributes; messages: UiText[]; meta: NodeMeta }
  | { type: "div"; group: NodeGroup; attributes: DivAttributes; messages: UiText[]; meta: NodeMeta };

export interface NodeMeta {
  label?: UiText;
}

export type InputNode = Extract<UiNode, { type: "input" }>;

export interface InputOptions {
  value?: unknown;
  required?: boolean;
  disabled?: boolean;
  autocomplete?: string;
  pattern?: string;
  maxlength?: number;
  label?: UiText;
}

/**
 * Builds an input node with Kratos' attribute order and omit-empty rules:
 * `disabled` and `node_type` always present; value/required/autocomplete only when set.
 */
export function inputNode(group: NodeGroup, name: string, type: string, opts: InputOptions = {}): InputNode {
  const attributes: InputAttributes = { name, type } as InputAttributes;
  if (opts.value !== undefined && opts.value !== null) attributes.value = opts.value;
  if (opts.required) attributes.required = true;
  if (opts.autocomplete) attributes.autocomplete = opts.autocomplete;
  if (opts.pattern) attributes.pattern = opts.pattern;
  if (opts.maxlength) attributes.maxlength = opts.maxlength;
  attributes.disabled = opts.disabled ?? false;
  attributes.node_type = "input";
  return { type: "input", group, attributes, messages: [], meta: opts.label ? { label: opts.label } : {} };
}

export function textNode(group: NodeGroup, id: string, text: UiText): UiNode {
  return { type: "text", group, attributes: { text, id, node_type: "text" }, messages: [], meta: {} };
}

export function csrfNode(token: string): InputNode {
  const node = inputNode("default", "csrf_token", "hidden", { required: true });
  // Kratos always renders the csrf value (empty for API flows).
  node.attributes = { name: "csrf_token", type: "hidden", value: token, required: true, disabled: false, node_type: "input" };
  return node;
}

export function nodeName(node: UiNode): string {
  switch (node.type) {
    case "input":
      return node.attributes.name;
    default:
      return node.attributes.id;
  }
}
