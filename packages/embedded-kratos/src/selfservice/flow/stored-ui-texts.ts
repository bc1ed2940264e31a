import { compactJson, JsonText } from "../../http/json-text";
import { parseJsonKeepingNumbers } from "../../identity/jsonschema/json-number";
import { isPlainObject } from "../../config/unknown-keys";
import type { UiContainerJson } from "../../ui/container";
import type { UiNode } from "../../ui/node";

/**
 * A stored flow's UI texts' `context`, as Kratos shows them after reading the
 * flow back: text.Message's Context is a json.RawMessage, so the `ui` jsonb
 * column's scan (sqlxx.JSONScan) keeps jsonb's text of each context — keys
 * by length then bytes (`"10"` after `"b"`), numbers as numeric writes them
 * (`2.50` stays, `1e2` is `100`, a float Go writes as `1e-7` is
 * `0.0000001`) — and json.Marshal answers it compacted. node-postgres
 * hands the column over as a JavaScript value, which cannot hold that
 * (integer-like keys come first, `2.50` is 2.5), so Postgres also lists each
 * context's own text for the read to keep.
 *
 * Every place a text.Message sits in a container (ui/container/container.go
 * Messages; ui/node/node.go Node.Messages and Meta.Label; ui/node/attributes.go
 * InputAttributes.Label, AnchorAttributes.Title, TextAttributes.Text), each
 * with its jsonpath and the same walk over the decoded value, kept side by
 * side so the two lists cannot drift apart.
 */
const TEXT_PLACES: { path: string; texts: (ui: UiContainerJson) => unknown[] }[] = [
  { path: "$.messages[*]", texts: (ui) => listOf(ui.messages) },
  { path: "$.nodes[*].messages[*]", texts: (ui) => nodesOf(ui).flatMap((node) => listOf(node.messages)) },
  { path: "$.nodes[*].meta.label", texts: (ui) => nodesOf(ui).map((node) => fieldOf(node.meta, "label")) },
  { path: "$.nodes[*].attributes.label", texts: (ui) => nodesOf(ui).map((node) => fieldOf(node.attributes, "label")) },
  { path: "$.nodes[*].attributes.title", texts: (ui) => nodesOf(ui).map((node) => fieldOf(node.attributes, "title")) },
  { path: "$.nodes[*].attributes.text", texts: (ui) => nodesOf(ui).map((node) => fieldOf(node.attributes, "text")) },
];

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
const nodesOf = (ui: UiContainerJson): UiNode[] => listOf(ui.nodes) as UiNode[];
const fieldOf = (holder: unknown, key: string): unknown => (isPlainObject(holder) ? holder[key] : undefined);

/**
 * A select-list entry: the text (jsonb's output) of every context in `ui`,
 * place by place in TEXT_PLACES' order, each place in document order. A
 * lax jsonpath skips texts without a context, as the walk does.
 */
export const UI_CONTEXT_TEXTS_SELECT = `ARRAY(
    SELECT found.context::text
    FROM unnest(ARRAY[${TEXT_PLACES.map(({ path }) => `'${path}.context'`).join(", ")}]::jsonpath[]) WITH ORDINALITY AS place(path, n),
      LATERAL jsonb_path_query(ui, place.path) WITH ORDINALITY AS found(context, m)
    ORDER BY place.n, found.m) AS ui_context_texts`;

/**
 * Gives each context in the decoded `ui` that JavaScript would answer other
 * than jsonb's text (integer-like keys, numbers numeric writes its own way)
 * a JsonText of that text, whose value keeps each number's literal so that
 * saving the flow again stores the same numbers. Every other context stays
 * the plain value it answers the same as: Kratos' own texts keep the plain
 * objects code reads (contextObject) and copies (structuredClone cannot copy
 * a JsonText). Left as decoded when the two walks disagree (only a `ui` this
 * server did not write could).
 */
export function keepStoredContextTexts(ui: UiContainerJson, contextTexts: readonly string[]): void {
  const holders = TEXT_PLACES.flatMap(({ texts }) => texts(ui)).filter(
    (text): text is Record<string, unknown> => isPlainObject(text) && Object.hasOwn(text, "context"),
  );
  if (holders.length !== contextTexts.length) return;
  holders.forEach((holder, index) => {
    const text = compactJson(contextTexts[index] ?? "null");
    if (text !== JSON.stringify(holder.context)) holder.context = new JsonText(text, parseJsonKeepingNumbers(text));
  });
}
