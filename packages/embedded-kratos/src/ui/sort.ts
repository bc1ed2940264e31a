import type { UiContainer } from "./container";
import { nodeName, type NodeGroup, type UiNode } from "./node";
import { goValueText } from "./node-value-text";

export interface SortOptions {
  /** Group order; nodes of unlisted groups go last, keeping their order. */
  groups: NodeGroup[];
  /** Key order (prefix match on node names); `method` submit nodes always sort last within a group. */
  keys: string[];
  /** Groups whose nodes are ordered by key together with `default` nodes (Kratos interleaves password inputs with the traits). */
  interleavedWithDefault?: NodeGroup[];
}

/**
 * Orders nodes like Kratos' Nodes.SortBySchema: first by group, then —
 * within a group, and between `default` and the groups Kratos interleaves
 * with it — by the position of the node's name in `keys`, and nodes at the
 * same position by the `%v` text of their values (ui/node/node.go
 * SortBySchema: `fmt.Sprintf("%v", a.GetValue()) < …`), compared as Go
 * compares strings, byte by byte.
 */
export function sortNodes(ui: UiContainer, options: SortOptions): void {
  const groupIndex = (n: UiNode) => {
    const i = options.groups.indexOf(n.group);
    return i < 0 ? options.groups.length : i;
  };
  const keyIndex = (n: UiNode) => {
    const name = nodeName(n);
    if (name === "method") return Number.MAX_SAFE_INTEGER;
    const i = options.keys.findIndex((k) => name.startsWith(k));
    return i < 0 ? options.keys.length : i;
  };
  const valueText = new Map(ui.nodes.map((n) => [n, Buffer.from(goValueText(n))]));
  const byValue = (a: UiNode, b: UiNode) => Buffer.compare(valueText.get(a) ?? Buffer.alloc(0), valueText.get(b) ?? Buffer.alloc(0));
  /** SortBySchema's less for two comparable nodes: `node` goes before `prev`. */
  const before = (node: UiNode, prev: UiNode) => {
    const pn = keyIndex(node);
    const pp = keyIndex(prev);
    return pn < pp || (pn === pp && byValue(node, prev) < 0);
  };
  const withDefault = new Set(options.interleavedWithDefault ?? []);
  const interleaved = (a: UiNode, b: UiNode) =>
    a.group === b.group || (a.group === "default" && withDefault.has(b.group)) || (withDefault.has(a.group) && b.group === "default");

  const byGroup = ui.nodes
    .map((n, i) => ({ n, i }))
    .sort((a, b) => groupIndex(a.n) - groupIndex(b.n) || a.i - b.i)
    .map((x) => x.n);
  // Insertion sort: the comparison is not a total order across groups, so only swap comparable neighbours (stable).
  const out: UiNode[] = [];
  for (const node of byGroup) {
    let at = out.length;
    while (at > 0) {
      const prev = out[at - 1];
      if (!prev || !interleaved(prev, node) || !before(node, prev)) break;
      at--;
    }
    out.splice(at, 0, node);
  }
  ui.nodes = out;
}

/**
 * ui/node/helper.go PasswordLoginOrder, the registration sort's update of
 * the schema's keys: the CSRF token, the first key, then the password —
 * after the schema's first key, whichever trait identifies the password.
 */
export function passwordLoginOrder(schemaKeys: readonly string[]): string[] {
  const [first, ...rest] = schemaKeys;
  return first === undefined ? ["csrf_token", "password"] : ["csrf_token", first, "password", ...rest];
}
