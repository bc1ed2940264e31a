import { canonicalHeaderKey } from "../request/template-context";
import { withGoMethods } from "./gotemplate";

/**
 * An http.Header as a template sees it: a map of canonical names to their
 * values (printing, `range`, `index` and `.Name` read it as a map) with the
 * read-only methods a template can call on it: Get (the first value of the
 * canonicalised name, "" when there is none) and Values (all of them), as
 * net/textproto's MIMEHeader.Get and Values. The methods that change the
 * header (Add, Set, Del) are left out: a template has no use for them.
 */
export function goHttpHeader(headers: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  // No prototype: a header named `__proto__` is a key like any other.
  const map = Object.create(null) as Record<string, string[]>;
  for (const [name, values] of Object.entries(headers)) map[name] = [...values];
  const values = (name: unknown): string[] => map[canonicalHeaderKey(String(name))] ?? [];
  return withGoMethods(map, {
    typeName: "http.Header",
    elemZero: () => [],
    methods: new Map([
      ["Get", { params: ["string"], call: (name: unknown) => values(name)[0] ?? "" }],
      ["Values", { params: ["string"], call: (name: unknown) => values(name) }],
    ]),
  });
}
