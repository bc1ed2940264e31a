import { readTrait } from "../../identity/extensions";
import { type IdentitySchema, listedPaths, type SchemaPath } from "../../identity/schema-registry";
import { messages } from "../../ui/messages";
import { inputNode, type InputNode, type NodeGroup } from "../../ui/node";

/**
 * ui/node toFormType: `password` and `csrf_token` by name (a path's whole
 * name, so only properties of the document's root), a number or boolean
 * prototype by type, anything else text.
 */
function formType(p: SchemaPath): string {
  if (p.name === "password") return "password";
  if (p.name === "csrf_token") return "hidden";
  return p.typeHint === "float" || p.typeHint === "int" ? "number" : p.typeHint === "bool" ? "checkbox" : "text";
}

/**
 * ui/container NodesFromJSONSchema: an input (ui/node NewInputFieldFromSchema)
 * for every path jsonschemax.ListPaths lists but those of a `json` type hint,
 * in its order (by name), optionally pre-filled with the traits' values. The
 * paths come from the whole document, so a property beside `traits` is an
 * input too. As in Kratos v26.2 an `enum` trait is a plain input: dropdown
 * `options` came to Kratos later. The flows' sort keeps the order among the
 * nodes one key places together (the leaves of a trait behind a `$ref`).
 */
export function traitNodes(schema: IdentitySchema, group: NodeGroup, values?: Record<string, unknown>): InputNode[] {
  return listedPaths(schema).flatMap((p) => {
    if (p.typeHint === "json") return [];
    let type = formType(p);
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
      case "regex":
        type = "text";
        break;
    }
    const [root, ...below] = p.segments;
    return [
      inputNode(group, p.name, type, {
        value: values && root === "traits" ? readTrait(values, below) : undefined,
        required: p.required,
        autocomplete,
        pattern: p.pattern,
        label: p.title ? messages.labelGenerated(p.title, p.name) : undefined,
      }),
    ];
  });
}
