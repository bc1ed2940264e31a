import type { Bind, CompSpec, Node, Param } from "./ast";
import { staticError } from "./errors";

/**
 * go-jsonnet's static checks before evaluation: every variable must be bound
 * (an unknown one fails the program even in a branch never taken), and
 * `self`, `super` and `$` only appear inside an object.
 */
export function checkStatic(root: Node): void {
  visit(root, new Set(["std"]), false);
}

type Scope = ReadonlySet<string>;

const withNames = (scope: Scope, names: Iterable<string>): Scope => new Set([...scope, ...names]);

function visitBinds(binds: readonly Bind[], scope: Scope, inObject: boolean): void {
  for (const bind of binds) {
    if (bind.params) visitFunction(bind.params, bind.body, scope, inObject);
    else visit(bind.body, scope, inObject);
  }
}

function visitFunction(params: readonly Param[], body: Node, scope: Scope, inObject: boolean): void {
  const inner = withNames(
    scope,
    params.map((p) => p.name),
  );
  for (const param of params) if (param.defaultValue) visit(param.defaultValue, inner, inObject);
  visit(body, inner, inObject);
}

/** Visits the clauses in order (each `for` binds for what follows) and returns the scope of the body. */
function visitSpecs(specs: readonly CompSpec[], scope: Scope, inObject: boolean): Scope {
  let current = scope;
  for (const spec of specs) {
    if (spec.kind === "for") {
      visit(spec.expr, current, inObject);
      current = withNames(current, [spec.variable]);
    } else {
      visit(spec.cond, current, inObject);
    }
  }
  return current;
}

function visit(node: Node, scope: Scope, inObject: boolean): void {
  switch (node.kind) {
    case "null":
    case "boolean":
    case "number":
    case "string":
    case "import":
      return;
    case "self":
    case "dollar":
      // go-jsonnet's desugarer refuses a `$` outside an object with its own wording (desugarer.go, desugar Dollar).
      if (!inObject)
        throw staticError(node.kind === "self" ? "Can't use self outside of an object." : "No top-level object found.", node.loc);
      return;
    case "superIndex":
      if (!inObject) throw staticError("Can't use super outside of an object.", node.loc);
      return visit(node.index, scope, inObject);
    case "inSuper":
      if (!inObject) throw staticError("Can't use super outside of an object.", node.loc);
      return visit(node.field, scope, inObject);
    case "var":
      if (!scope.has(node.name)) throw staticError(`Unknown variable: ${node.name}`, node.loc);
      return;
    case "array":
      for (const element of node.elements) visit(element, scope, inObject);
      return;
    case "arrayComp":
      return visit(node.body, visitSpecs(node.specs, scope, inObject), inObject);
    case "object": {
      const inner = withNames(
        scope,
        node.locals.map((b) => b.name),
      );
      visitBinds(node.locals, inner, true);
      for (const assertion of node.asserts) {
        visit(assertion.cond, inner, true);
        if (assertion.message) visit(assertion.message, inner, true);
      }
      for (const field of node.fields) {
        // Computed names are evaluated outside the object.
        if (field.name.kind === "computed") visit(field.name.expr, scope, inObject);
        if (field.params) visitFunction(field.params, field.body, inner, true);
        else visit(field.body, inner, true);
      }
      return;
    }
    case "objectComp": {
      const specScope = visitSpecs(node.specs, scope, inObject);
      visit(node.key, specScope, inObject);
      const inner = withNames(
        specScope,
        node.locals.map((b) => b.name),
      );
      visitBinds(node.locals, inner, true);
      return visit(node.value, inner, true);
    }
    case "local": {
      const inner = withNames(
        scope,
        node.binds.map((b) => b.name),
      );
      visitBinds(node.binds, inner, inObject);
      return visit(node.body, inner, inObject);
    }
    case "if":
      visit(node.cond, scope, inObject);
      visit(node.then, scope, inObject);
      if (node.else) visit(node.else, scope, inObject);
      return;
    case "function":
      return visitFunction(node.params, node.body, scope, inObject);
    case "apply":
      visit(node.target, scope, inObject);
      for (const arg of node.positional) visit(arg, scope, inObject);
      for (const arg of node.named) visit(arg.value, scope, inObject);
      return;
    case "index":
      visit(node.target, scope, inObject);
      return visit(node.index, scope, inObject);
    case "slice":
      visit(node.target, scope, inObject);
      for (const part of [node.begin, node.end, node.step]) if (part) visit(part, scope, inObject);
      return;
    case "binary":
      visit(node.left, scope, inObject);
      return visit(node.right, scope, inObject);
    case "unary":
      return visit(node.operand, scope, inObject);
    case "error":
      return visit(node.expr, scope, inObject);
    case "assert":
      visit(node.cond, scope, inObject);
      if (node.message) visit(node.message, scope, inObject);
      return visit(node.rest, scope, inObject);
  }
}
