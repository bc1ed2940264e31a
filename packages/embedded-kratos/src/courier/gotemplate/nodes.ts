/** text/template/parse's tree (node.go); each node keeps its byte position for exec's error context. */

export type Arg =
  | { type: "field"; pos: number; ident: string[] }
  | { type: "variable"; pos: number; ident: string[] }
  | { type: "dot"; pos: number }
  | { type: "nil"; pos: number }
  | { type: "bool"; pos: number; value: boolean }
  | { type: "number"; pos: number; text: string; value: bigint | number | "complex" }
  | { type: "string"; pos: number; quoted: string; text: string }
  | { type: "identifier"; pos: number; name: string }
  | { type: "chain"; pos: number; node: Arg; field: string[] }
  | PipeNode;

export interface CommandNode {
  type: "command";
  pos: number;
  args: Arg[];
}

export interface PipeNode {
  type: "pipe";
  pos: number;
  line: number;
  isAssign: boolean;
  decl: string[];
  cmds: CommandNode[];
}

export interface ListNode {
  type: "list";
  nodes: Node[];
}

export type BranchType = "if" | "range" | "with";

/** {{if}}, {{range}} and {{with}}: a pipeline, a list and an optional {{else}} list. */
export interface BranchNode {
  type: BranchType;
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | undefined;
}

export type Node =
  | { type: "text"; pos: number; text: string }
  | { type: "action"; pos: number; line: number; pipe: PipeNode }
  | BranchNode
  | { type: "template"; pos: number; line: number; name: string; pipe: PipeNode | undefined }
  | { type: "break" | "continue"; pos: number; line: number };

/** node.go String(): how exec's errors show the node they stopped at (`<.Missing>`). */
export function argString(arg: Arg): string {
  switch (arg.type) {
    case "field":
      return arg.ident.map((i) => `.${i}`).join("");
    case "variable":
      return arg.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return String(arg.value);
    case "number":
      return arg.text;
    case "string":
      return arg.quoted;
    case "identifier":
      return arg.name;
    case "chain":
      return (arg.node.type === "pipe" ? `(${argString(arg.node)})` : argString(arg.node)) + arg.field.map((f) => `.${f}`).join("");
    case "pipe":
      return pipeString(arg);
  }
}

export function commandString(cmd: CommandNode): string {
  return cmd.args.map((a) => (a.type === "pipe" ? `(${argString(a)})` : argString(a))).join(" ");
}

export function pipeString(pipe: PipeNode): string {
  const decl = pipe.decl.length ? `${pipe.decl.join(", ")} ${pipe.isAssign ? "=" : ":="} ` : "";
  return decl + pipe.cmds.map(commandString).join(" | ");
}

export function nodeString(node: Node): string {
  switch (node.type) {
    case "text":
      return node.text;
    case "action":
      return `{{${pipeString(node.pipe)}}}`;
    case "template":
      return `{{template ${JSON.stringify(node.name)}${node.pipe ? ` ${pipeString(node.pipe)}` : ""}}}`;
    case "break":
    case "continue":
      return `{{${node.type}}}`;
    default:
      return `{{${node.type} ${pipeString(node.pipe)}}}`;
  }
}
