import { goFloatV } from "../jsonnet/values";
import type { UiNode } from "./node";

/**
 * `fmt.Sprintf("%v", node.GetValue())` (ui/node/attributes.go GetValue): an
 * input's value, an image's or script's src, an anchor's href, a text
 * node's message — a *text.Message, whose Error method gives its text —
 * and a division's nil.
 */
export function goValueText(node: UiNode): string {
  switch (node.type) {
    case "input":
      return goV(node.attributes.value);
    case "text":
      return node.attributes.text.text;
    case "img":
    case "script":
      return node.attributes.src;
    case "a":
      return node.attributes.href;
    case "div":
      return "<nil>";
  }
}

/**
 * Go's `%v` of a value as encoding/json or gjson gives it to an interface{}:
 * nil `<nil>`, float64 in the shortest 'g' form, a slice `[a b]`, a map
 * `map[k:v …]` with its keys in Go's string order (fmt sorts map keys).
 */
function goV(value: unknown): string {
  if (value === undefined || value === null) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "number") return goFloatV(value);
  if (Array.isArray(value)) return `[${value.map(goV).join(" ")}]`;
  // An object: what remains of JSON (functions and symbols never reach a node's value).
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `map[${entries.map(([k, v]) => `${k}:${goV(v)}`).join(" ")}]`;
}
