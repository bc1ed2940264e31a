import type { Bind, CompSpec, Node, Param } from "./ast";

/**
 * go-jsonnet's addContext (internal/parser/context.go), run once on the parsed tree: every node gets the name of the
 * code around it, which stack traces print next to its location. A function's body is `function <name>` (the name it
 * is bound to, else `anonymous`), an object's fields `object <name>`, a local's value `thunk <x> from <outer>`, call
 * arguments and array elements `thunk from <outer>`; everything else inherits. As in go-jsonnet, the target of
 * `a.b` and a slice's step are not visited (DirectChildren leaves them out), so they carry no name.
 */

const ANONYMOUS = "anonymous";

export function addContext(node: Node | undefined, context: string, bind: string): void {
  if (!node) return;
  node.context = context;
  const visit = (child: Node | undefined) => addContext(child, context, ANONYMOUS);
  const thunk = `thunk from <${context}>`;
  switch (node.kind) {
    case "function":
      functionBody(node.params, node.body, bind);
      return;
    case "object": {
      const inner = `object <${bind}>`;
      for (const field of node.fields) if (field.name.kind === "computed") visit(field.name.expr);
      for (const field of node.fields) {
        // A method's body is an anonymous function's.
        if (field.params) functionBody(field.params, field.body, ANONYMOUS);
        else addContext(field.body, inner, ANONYMOUS);
      }
      objectInner(node.locals, inner);
      for (const assertion of node.asserts) {
        addContext(assertion.cond, inner, ANONYMOUS);
        addContext(assertion.message, inner, ANONYMOUS);
      }
      return;
    }
    case "objectComp": {
      const inner = `object <${bind}>`;
      visit(node.key);
      specs(node.specs, visit);
      addContext(node.value, inner, ANONYMOUS);
      objectInner(node.locals, inner);
      return;
    }
    case "local":
      for (const b of node.binds) {
        const named = `thunk <${b.name}> from <${context}>`;
        if (b.params) functionBody(b.params, b.body, b.name);
        else addContext(b.body, named, b.name);
      }
      addContext(node.body, context, bind);
      return;
    case "apply":
      visit(node.target);
      for (const arg of node.positional) addContext(arg, thunk, ANONYMOUS);
      for (const arg of node.named) addContext(arg.value, thunk, ANONYMOUS);
      return;
    case "array":
      for (const element of node.elements) addContext(element, thunk, ANONYMOUS);
      return;
    case "arrayComp":
      specs(node.specs, visit);
      addContext(node.body, thunk, ANONYMOUS);
      return;
    case "index":
      if (!node.dot) {
        visit(node.target);
        visit(node.index);
      }
      return;
    case "superIndex":
      if (!node.dot) visit(node.index);
      return;
    case "slice":
      visit(node.target);
      visit(node.begin);
      visit(node.end);
      return;
    case "inSuper":
      visit(node.field);
      return;
    case "binary":
      visit(node.left);
      visit(node.right);
      return;
    case "unary":
      visit(node.operand);
      return;
    case "error":
      visit(node.expr);
      return;
    case "if":
      visit(node.cond);
      visit(node.then);
      visit(node.else);
      return;
    case "assert":
      visit(node.cond);
      visit(node.message);
      visit(node.rest);
      return;
    default:
      return;
  }
}

/** A function's body and default arguments are `function <name>`. */
function functionBody(params: readonly Param[], body: Node, name: string): void {
  const context = `function <${name}>`;
  addContext(body, context, ANONYMOUS);
  for (const param of params) addContext(param.defaultValue, context, ANONYMOUS);
}

/** An object's locals are evaluated inside it. */
function objectInner(locals: readonly Bind[], inner: string): void {
  for (const local of locals) {
    if (local.params) functionBody(local.params, local.body, ANONYMOUS);
    else addContext(local.body, inner, ANONYMOUS);
  }
}

function specs(list: readonly CompSpec[], visit: (node: Node | undefined) => void): void {
  for (const spec of list) visit(spec.kind === "for" ? spec.expr : spec.cond);
}
