import type { CompSpec, Node, NodeOf } from "./ast";
import { RuntimeFailure } from "./errors";
import { plusSuperField } from "./plus-super";
import type { CallStack } from "./stack";
import { JArray, JObject, Thunk, typeName, unexpectedType, type LayerField, type Value } from "./values";

/**
 * Comprehensions as go-jsonnet runs them after desugaring (internal/program/desugarer.go desugarForSpec,
 * desugarObjectComp): `[b for x in a if c for y in d]` is `std.flatMap(function(x) if c then std.flatMap(function(y)
 * [b], d) else [], a)`, and an object comprehension is `$objectFlatMerge` of such an array of one-field objects. The
 * calls carry the comprehension's extent and no name, the `if` neither, which is how they show in stack traces; and
 * builtinFlatMap's rules apply: a string can be iterated only where each step yields a string.
 */

/** The evaluator's scope, as far as comprehensions use it (kept abstract so this module does not import the evaluator). */
export interface Scope<S> {
  with(vars: ReadonlyMap<string, Thunk>): S;
}

export interface ComprehensionHost<Env extends Scope<Env>> {
  readonly stack: CallStack;
  evaluate(node: Node, env: Env, tail?: boolean): Value;
  delay(node: Node, env: Env): Thunk;
  objectScope(locals: NodeOf<"objectComp">["locals"], env: Env): (self: JObject, layerIndex: number) => Env;
}

interface ForGroup {
  variable: string;
  expr: Node;
  conditions: Node[];
}

const UNPLACED = { message: "" };

function groups(specs: readonly CompSpec[]): ForGroup[] {
  const out: ForGroup[] = [];
  for (const spec of specs) {
    if (spec.kind === "for") out.push({ variable: spec.variable, expr: spec.expr, conditions: [] });
    else out[out.length - 1]?.conditions.push(spec.cond);
  }
  return out;
}

/** One `std.flatMap(function(x) …, expr)` level, then the ones inside it; `inside` builds the innermost array. */
function flatMap<Env extends Scope<Env>>(
  host: ComprehensionHost<Env>,
  list: ForGroup[],
  level: number,
  env: Env,
  loc: Node["loc"],
  inside: (env: Env) => Value,
): Value {
  const group = list[level] as ForGroup;
  const stack = host.stack;
  return stack.at({ message: "", loc }, () => {
    const source = stack.frame(() => host.evaluate(group.expr, env, true));
    const step = (element: Thunk): Value =>
      stack.frame(() =>
        stack.at(UNPLACED, () => {
          const scope = env.with(new Map([[group.variable, element]]));
          for (const condition of group.conditions) {
            const holds = host.evaluate(condition, scope);
            if (typeof holds !== "boolean") throw unexpectedType(holds, "boolean");
            if (!holds) return new JArray([]);
          }
          return level + 1 < list.length ? flatMap(host, list, level + 1, scope, loc, inside) : inside(scope);
        }),
      );
    if (source instanceof JArray) {
      const elements: Thunk[] = [];
      for (const element of source.elements) {
        const part = step(element);
        if (!(part instanceof JArray)) throw unexpectedType(part, "array");
        // Element by element: a spread passes each as an argument, and a long array overflows JavaScript's stack.
        for (const item of part.elements) elements.push(item);
      }
      return new JArray(elements);
    }
    if (typeof source === "string") {
      let text = "";
      for (const char of source) {
        const part = step(Thunk.of(char));
        if (typeof part !== "string") throw unexpectedType(part, "string");
        text += part;
      }
      return text;
    }
    throw new RuntimeFailure(`std.flatMap second param must be array / string, got ${typeName(source)}`);
  });
}

export function arrayComprehension<Env extends Scope<Env>>(host: ComprehensionHost<Env>, node: NodeOf<"arrayComp">, env: Env): Value {
  return flatMap(host, groups(node.specs), 0, env, node.loc, (scope) => new JArray([host.delay(node.body, scope)]));
}

interface OneField {
  name: string;
  field: LayerField;
}

/** `$objectFlatMerge(std.flatMap(…, [{ [key]: value }]))`: each one-field object is made when the merge reads it. */
export function objectComprehension<Env extends Scope<Env>>(host: ComprehensionHost<Env>, node: NodeOf<"objectComp">, env: Env): JObject {
  const stack = host.stack;
  return stack.at({ message: "", loc: node.loc }, () => {
    const made = new WeakMap<Thunk, OneField | null>();
    const objects = stack.frame(() =>
      flatMap(host, groups(node.specs), 0, env, node.loc, (scope) => {
        const thunk: Thunk = new Thunk(() => {
          made.set(
            thunk,
            stack.frame(() => stack.at(node, () => oneField(host, node, scope))),
          );
          return null;
        });
        return new JArray([thunk]);
      }),
    );
    if (!(objects instanceof JArray)) throw unexpectedType(objects, "array");
    const fields = new Map<string, LayerField>();
    for (const element of objects.elements) {
      element.get();
      const one = made.get(element);
      if (!one) continue;
      if (fields.has(one.name)) throw new RuntimeFailure(`Duplicate field name: "${one.name}"`);
      fields.set(one.name, one.field);
    }
    return new JObject([{ fields }]);
  });
}

function oneField<Env extends Scope<Env>>(host: ComprehensionHost<Env>, node: NodeOf<"objectComp">, scope: Env): OneField | null {
  const name = host.evaluate(node.key, scope);
  if (name === null) return null;
  if (typeof name !== "string") throw new RuntimeFailure(`Field name must be string, got ${typeName(name)}`);
  const scopeOf = host.objectScope(node.locals, scope);
  return {
    name,
    field: {
      visibility: "inherit",
      plus: node.plus,
      compute: node.plus
        ? plusSuperField(host.stack, name, node.value.loc, (self, i) => host.evaluate(node.value, scopeOf(self, i), true))
        : (self, i) => host.stack.frame(() => host.evaluate(node.value, scopeOf(self, i), true)),
    },
  };
}
