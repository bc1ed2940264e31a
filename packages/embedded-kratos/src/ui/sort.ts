import type { UiContainer } from "./container";
import { nodeName, type NodeGroup, type UiNode } from "./node";
import { goSortSlice, goSortSliceStable } from "./go-sort";
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
 * Orders nodes like Kratos' Nodes.SortBySchema (ui/node/node.go): a
 * sort.Slice by group, then a sort.SliceStable that — within a group, and
 * between `default` and the groups Kratos interleaves with it — orders by
 * the position of the node's name in `keys`, and nodes at the same
 * position by the `%v` text of their values (`fmt.Sprintf("%v",
 * a.GetValue()) < …`), compared as Go compares strings, byte by byte. Both
 * run Go's own algorithms (go-sort.ts), so nodes the comparisons call equal
 * land where Kratos' land: the group sort is not stable above 12 nodes.
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
  const withDefault = new Set(options.interleavedWithDefault ?? []);
  const interleaved = (a: UiNode, b: UiNode) =>
    a.group === b.group || (a.group === "default" && withDefault.has(b.group)) || (withDefault.has(a.group) && b.group === "default");
  /** SortBySchema's less: false for nodes of groups it does not compare, so no total order. */
  const less = (a: UiNode, b: UiNode) => {
    if (!interleaved(a, b)) return false;
    const pa = keyIndex(a);
    const pb = keyIndex(b);
    return pa < pb || (pa === pb && byValue(a, b) < 0);
  };

  const nodes = [...ui.nodes];
  goSortSlice(nodes, (a, b) => groupIndex(a) < groupIndex(b));
  goSortSliceStable(nodes, less);
  ui.nodes = nodes;
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
