import { readTrait } from "../../identity/extensions";
import { formPaths, type IdentitySchema, type TraitPath } from "../../identity/schema-registry";
import { messages } from "../../ui/messages";
import { inputNode, type InputNode, type NodeGroup } from "../../ui/node";

/** Go's string order (bytes of the UTF-8 text), which jsonschemax.ListPaths sorts its paths by. */
const byGoName = (a: TraitPath, b: TraitPath) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

/**
 * Input nodes for every trait of a schema (ui/node NewInputFieldFromSchema), optionally pre-filled.
 * As in Kratos v26.2 an `enum` trait is a plain input: dropdown `options` came to Kratos later.
 * They come in ListPaths' order, by name: the flows' sort keeps it among the
 * nodes one key places together (the leaves of a trait behind a `$ref`).
 */
export function traitNodes(schema: IdentitySchema, group: NodeGroup, values?: Record<string, unknown>): InputNode[] {
  return [...formPaths(schema)].sort(byGoName).map((p) => {
    let type = p.type === "number" || p.type === "integer" ? "number" : p.type === "boolean" ? "checkbox" : "text";
    let autocomplete: string | undefined;
    switch (p.format) {
      case "date-time":
        type = "datetime-local";
        break;
      case "email":
        type = "email";
        autocomplete = "email";
        break;
      case "tel":
        type = "tel";
        autocomplete = "tel";
        break;
      case "date":
        type = "date";
        break;
      case "uri":
        type = "url";
        autocomplete = "url";
        break;
    }
    return inputNode(group, p.name, type, {
      value: values ? readTrait(values, p.segments) : undefined,
      required: p.required,
      autocomplete,
      pattern: p.pattern,
      label: p.title ? messages.labelGenerated(p.title, p.name) : undefined,
    });
  });
}
