import type { SourceRange } from "./errors";

/** The Jsonnet syntax tree the parser produces and the evaluator walks. */

export type Visibility = "inherit" | "hidden" | "visible";

export interface Param {
  name: string;
  defaultValue?: Node;
}

export interface Bind {
  name: string;
  /** Present for `local f(x) = ...`, the sugar for `local f = function(x) ...`. */
  params?: Param[];
  body: Node;
}

export type FieldName = { kind: "fixed"; name: string } | { kind: "computed"; expr: Node };

export interface Field {
  name: FieldName;
  visibility: Visibility;
  /** `+:` — add to the inherited value. */
  plus: boolean;
  /** Present for methods, `f(x): ...`. */
  params?: Param[];
  body: Node;
}

export type CompSpec = { kind: "for"; variable: string; expr: Node } | { kind: "if"; cond: Node };

export type BinaryOp =
  "*" | "/" | "%" | "+" | "-" | "<<" | ">>" | "<" | "<=" | ">" | ">=" | "in" | "==" | "!=" | "&" | "^" | "|" | "&&" | "||";
export type UnaryOp = "-" | "+" | "!" | "~";

/**
 * `loc` is the node's extent as go-jsonnet's parser gives it; `context` the name go-jsonnet's addContext gives the code
 * around it (parser/context.go: `$`, `function <f>`, `object <o>`, `thunk <x> from <…>`, `thunk from <…>`), which its
 * stack traces print next to the location. Nodes go-jsonnet's desugarer makes carry none.
 */
export type Node = { loc: SourceRange; context?: string } & (
  | { kind: "null" }
  | { kind: "boolean"; value: boolean }
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "self" }
  | { kind: "dollar" }
  | { kind: "var"; name: string }
  | { kind: "array"; elements: Node[] }
  | { kind: "arrayComp"; body: Node; specs: CompSpec[] }
  | { kind: "object"; locals: Bind[]; asserts: { cond: Node; message?: Node; loc: SourceRange }[]; fields: Field[] }
  | { kind: "objectComp"; locals: Bind[]; key: Node; value: Node; plus: boolean; specs: CompSpec[] }
  | { kind: "local"; binds: Bind[]; body: Node }
  | { kind: "if"; cond: Node; then: Node; else?: Node }
  | { kind: "function"; params: Param[]; body: Node }
  | { kind: "apply"; target: Node; positional: Node[]; named: { name: string; value: Node }[]; tailstrict: boolean }
  /** `dot`: written `a.b` (addContext does not descend into those). */
  | { kind: "index"; target: Node; index: Node; dot?: boolean }
  | { kind: "slice"; target: Node; begin?: Node; end?: Node; step?: Node }
  | { kind: "superIndex"; index: Node; dot?: boolean }
  | { kind: "inSuper"; field: Node }
  | { kind: "binary"; op: BinaryOp; left: Node; right: Node }
  | { kind: "unary"; op: UnaryOp; operand: Node }
  | { kind: "error"; expr: Node }
  | { kind: "assert"; cond: Node; message?: Node; rest: Node }
  | { kind: "import"; keyword: "import" | "importstr" | "importbin"; path: string }
);

export type NodeOf<K extends Node["kind"]> = Extract<Node, { kind: K }>;
