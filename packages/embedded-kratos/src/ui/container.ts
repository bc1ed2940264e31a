import type { UiText } from "./messages";
import { csrfNode, type InputNode, type NodeGroup, nodeName, type UiNode } from "./node";

export interface UiContainerJson {
  action: string;
  method: string;
  nodes: UiNode[];
  messages?: UiText[];
}

/** A flow's form: ordered nodes plus flow-level messages (ui/container/container.go). */
export class UiContainer {
  nodes: UiNode[];
  messages: UiText[];

  constructor(
    public action: string,
    public method = "POST",
    nodes: UiNode[] = [],
    messages: UiText[] = [],
  ) {
    this.nodes = nodes;
    this.messages = messages;
  }

  static fromJSON(json: UiContainerJson): UiContainer {
    return new UiContainer(json.action, json.method, json.nodes, json.messages ?? []);
  }

  toJSON(): UiContainerJson {
    const out: UiContainerJson = { action: this.action, method: this.method, nodes: this.nodes };
    if (this.messages.length > 0) out.messages = this.messages;
    return out;
  }

  find(name: string, group?: NodeGroup): UiNode | undefined {
    return this.nodes.find((n) => nodeName(n) === name && (group === undefined || n.group === group));
  }

  findInput(name: string): InputNode | undefined {
    const node = this.nodes.find((n) => n.type === "input" && n.attributes.name === name);
    return node?.type === "input" ? node : undefined;
  }

  /** ui/node/node.go Nodes.Upsert: replaces the first node of the same name (ID), whatever its group, else appends. */
  upsert(node: UiNode): void {
    const name = nodeName(node);
    const index = this.nodes.findIndex((n) => nodeName(n) === name);
    if (index >= 0) this.nodes[index] = node;
    else this.nodes.push(node);
  }

  /** Appends nodes, a node replacing one of the same name and group, so a strategy that populates twice adds its nodes once. */
  append(...nodes: UiNode[]): void {
    for (const node of nodes) {
      const name = nodeName(node);
      const index = this.nodes.findIndex((n) => nodeName(n) === name && n.group === node.group);
      if (index >= 0) this.nodes[index] = node;
      else this.nodes.push(node);
    }
  }

  remove(name: string, group?: NodeGroup): void {
    this.nodes = this.nodes.filter((n) => !(nodeName(n) === name && (group === undefined || n.group === group)));
  }

  removeGroup(group: NodeGroup): void {
    this.nodes = this.nodes.filter((n) => n.group !== group);
  }

  /**
   * container.go SetCSRF: SetNode, i.e. Nodes.Upsert — the token replaces
   * the CSRF node where it stands, and a form without one gets it last. Its
   * place before any other node is the caller's to give, by setting it
   * first, as Kratos' strategies do.
   */
  setCsrf(token: string): void {
    this.upsert(csrfNode(token));
  }

  /** Sets an input's value (used to echo submitted values back, never for passwords). */
  setValue(name: string, value: unknown): void {
    const node = this.findInput(name);
    if (!node) return;
    if (value === undefined || value === null) delete node.attributes.value;
    else node.attributes.value = value;
  }

  clearMessages(): void {
    this.messages = [];
    for (const node of this.nodes) node.messages = [];
  }

  /** Adds a message to the named input (created as a text input if missing) or to the flow when no name is given. */
  addMessage(message: UiText, name?: string): void {
    if (!name) {
      this.messages.push(message);
      return;
    }
    const node = this.nodes.find((n) => nodeName(n) === name);
    if (node) node.messages.push(message);
    else {
      this.nodes.push({
        type: "input",
        group: "default",
        attributes: { name, type: "text", disabled: false, node_type: "input" },
        messages: [message],
        meta: {},
      });
    }
  }
}
