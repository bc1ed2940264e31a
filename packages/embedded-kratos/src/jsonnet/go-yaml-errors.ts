import { isAlias, isCollection, isScalar, visit, type Document, type YAMLError } from "yaml";

/**
 * go-yaml v2's message for a document the `yaml` package could not read, as `yaml: line N: problem`.
 *
 * go-yaml's scanner (scannerc.go) and parser (parserc.go) stop at the first problem; yaml.go/decode.go parser.fail
 * writes it with a line number that is the problem mark's 0-based line plus one for a scanner error and as it is for
 * a parser error (the token the parser could not take), falling back to the context mark's line, and no line at
 * all when that is 0. The `yaml` package finds the same documents malformed, but with its own error classes and
 * positions; each class is mapped here to the go-yaml problem the same document meets, and the position to the
 * mark go-yaml reports. A document here always ends in a newline: go-jsonnet's LineReader adds one to every line.
 * Returns undefined for an error class with no known counterpart.
 */
export function goYamlSyntaxError(doc: string, error: YAMLError): string | undefined {
  const lines = doc.split("\n").length - 1;
  const offset = error.pos[0];
  const line = doc.slice(0, offset).split("\n").length; // 1-based
  const lineStart = doc.lastIndexOf("\n", offset - 1) + 1;
  // The yaml package may point at the line's indentation; go-yaml's token starts after it.
  const indentation = /^[ ]*/.exec(doc.slice(lineStart))?.[0].length ?? 0;
  const column = Math.max(offset - lineStart, indentation); // 0-based
  const scanner = (oneBased: number, problem: string) => withLine(oneBased - 1 === 0 ? 0 : oneBased, problem);
  const parser = (zeroBased: number, contextZeroBased: number, problem: string) =>
    withLine(zeroBased !== 0 ? zeroBased : contextZeroBased, problem);
  const atEnd =
    doc
      .slice(offset)
      .replace(/#[^\n]*/g, "")
      .trim() === "";

  const previous = doc.slice(doc.lastIndexOf("\n", lineStart - 2) + 1, Math.max(lineStart - 1, 0));
  if (doc[lineStart] === "\t" && /(^|\s)[|>][-+0-9]*[ ]*(#[^\n]*)?$/.test(previous)) {
    // scan_block_scalar_breaks: a block scalar's text indented with a tab.
    return scanner(line, "found a tab character where an indentation space is expected");
  }
  if (error.code === "MISSING_CHAR" && error.message.startsWith("Missing closing")) {
    // scan_flow_scalar runs into the end of the stream.
    return scanner(lines + 1, "found unexpected end of stream");
  }
  if (/^Flow (sequence|map)\b/.test(error.message) && (error.code === "MISSING_CHAR" || error.code === "BAD_INDENT")) {
    // parse_flow_sequence_entry / parse_flow_mapping_key: the token after an entry is neither `,` nor the end.
    const close = error.message.startsWith("Flow sequence") ? "']'" : "'}'";
    return parser(atEnd ? lines : line - 1, 0, `did not find expected ',' or ${close}`);
  }
  if (error.code === "TAB_AS_INDENT") {
    // A tab in the indentation of a plain scalar's next line is scan_plain_scalar's; anywhere else no token starts with it.
    const continued = continuesPlainScalar(doc, line);
    return scanner(line, continued ? "found a tab character that violates indentation" : "found character that cannot start any token");
  }
  if (error.code === "BAD_SCALAR_START") return scanner(line, "found character that cannot start any token");
  if (error.code === "BAD_DQ_ESCAPE") {
    const hex = /^\\[xuU]/.test(doc.slice(offset));
    return scanner(line, hex ? "did not find expected hexdecimal number" : "found unknown escape character");
  }
  const implicitKey = error.code === "BLOCK_AS_IMPLICIT_KEY" || error.code === "MULTILINE_IMPLICIT_KEY";
  if (implicitKey || error.message.startsWith("Nested mappings")) {
    // fetch_value: a `:` after a key that spans lines or follows a value on the same line.
    const colon = nextValueIndicator(doc, offset);
    if (colon !== undefined) return scanner(doc.slice(0, colon).split("\n").length, "mapping values are not allowed in this context");
  }
  if (error.code === "MISSING_CHAR" && error.message.startsWith("Implicit map keys need to be followed")) {
    // stale_simple_keys / remove_simple_key: a required key that never met its `:`, seen at the next token.
    const next = nextTokenLine(doc, line);
    return scanner(next ?? lines + 1, "could not find expected ':'");
  }
  if (error.message.startsWith("Missing directives-end indicator")) {
    // parse_document_start: directives with no `---` after them (go-jsonnet split the document at that line).
    return parser(lines, 0, "did not find expected <document start>");
  }
  const quote = /^['"]/.exec(doc.slice(offset))?.[0];
  if (error.code === "UNEXPECTED_TOKEN" && quote && !doc.slice(offset + 1).includes(quote)) {
    return scanner(lines + 1, "found unexpected end of stream");
  }
  const valuePosition = /[:-]\s*$/.test(doc.slice(lineStart, offset));
  if (error.code === "UNEXPECTED_TOKEN" && valuePosition && /^Unexpected flow-(seq|map)-end token/.test(error.message)) {
    // parse_node: a `]` or `}` where a value should start.
    return parser(line - 1, line - 1, "did not find expected node content");
  }
  if (implicitKey || error.code === "BAD_INDENT" || error.code === "UNEXPECTED_TOKEN" || error.code === "MISSING_CHAR") {
    // parse_block_mapping_key / parse_block_sequence_entry: the innermost open block collection takes the token.
    const open = openCollection(doc, line, column);
    if (open) {
      const problem = open.kind === "map" ? "did not find expected key" : "did not find expected '-' indicator";
      return parser(line - 1, open.line, problem);
    }
  }
  return undefined;
}

/**
 * go-yaml v2 Unmarshal reads one node and stops: after the root node (a flow collection, or a block collection that
 * ends where a line goes back past its indentation), what follows is scanned only as far as the next token
 * (parse_document_end peeks at it), so `[1, 2]]`, `{a: 1} x` or `  - x\nb: 1` read as that node. The `yaml` package
 * reports that next token; such a report is dropped unless that token cannot be scanned.
 */
export function trailingAfterRoot(doc: Document, text: string): boolean {
  const root = doc.contents;
  if (!isCollection(root) || !root.range) return false;
  const end = root.range[1];
  // A block collection ends only at a line indented less than it, which needs it to start past column 0.
  const columnOf = (offset: number) => offset - (text.lastIndexOf("\n", offset - 1) + 1);
  const indentOf = (offset: number) => /^ */.exec(text.slice(offset - columnOf(offset)))?.[0].length ?? 0;
  if (!root.flow && !doc.errors.every((error) => indentOf(error.pos[0]) < columnOf(root.range?.[0] ?? 0))) return false;
  const rest = text.slice(end).replace(/^[ \n]*(#[^\n]*\n[ \n]*)*/, "");
  const unscannable = /^['"@`%\t]/.test(rest);
  return !unscannable && doc.errors.every((error) => error.code === "UNEXPECTED_TOKEN" && error.pos[0] >= end);
}

/**
 * decode.go parser.alias fails on an alias whose anchor is not yet defined when the parser reaches it, before any
 * syntax error further on: the first such alias before `offset`, if any.
 */
export function unknownAnchorBefore(doc: Document, offset: number): string | undefined {
  const anchors: { name: string; at: number }[] = [];
  const aliases: { name: string; at: number }[] = [];
  visit(doc, (_key, node) => {
    if ((isScalar(node) || isCollection(node)) && node.anchor && node.range) anchors.push({ name: node.anchor, at: node.range[0] });
    if (isAlias(node) && node.range) aliases.push({ name: node.source, at: node.range[0] });
  });
  aliases.sort((a, b) => a.at - b.at);
  const unknown = aliases.find(
    (alias) => alias.at < offset && !anchors.some((anchor) => anchor.name === alias.name && anchor.at < alias.at),
  );
  return unknown?.name;
}

/**
 * go-yaml v2 reads a quoted scalar's continuation lines at any indentation (its value folds them, dropping their
 * leading white space), where the `yaml` package wants them indented past the enclosing collection. For a
 * "Missing closing quote" report on a scalar that does close further on, the text with those lines indented past
 * the opening quote reads to the same values (with the scalar's start); undefined for a real unclosed quote.
 */
export function indentQuotedContinuations(doc: string, error: YAMLError): { text: string; start: number } | undefined {
  const quote = /^Missing closing (['"])quote/.exec(error.message)?.[1];
  if (error.code !== "MISSING_CHAR" || !quote) return undefined;
  const start = doc.lastIndexOf(quote, error.pos[0] - 1);
  if (start < 0) return undefined;
  let end = start + 1;
  for (; end < doc.length; end++) {
    const c = doc[end];
    if (quote === '"' && c === "\\") end++;
    else if (c === quote && quote === "'" && doc[end + 1] === "'") end++;
    else if (c === quote) break;
  }
  if (end >= doc.length) return undefined;
  const column = start - (doc.lastIndexOf("\n", start - 1) + 1);
  const body = doc.slice(start, end).replaceAll("\n", `\n${" ".repeat(column + 1)}`);
  return { text: doc.slice(0, start) + body + doc.slice(end), start };
}

function withLine(line: number, problem: string): string {
  return line !== 0 ? `yaml: line ${line}: ${problem}` : `yaml: ${problem}`;
}

/** Whether the last content line before `line` (1-based) ends in a plain scalar, which scanning would continue. */
function continuesPlainScalar(doc: string, line: number): boolean {
  const before = doc
    .split("\n")
    .slice(0, line - 1)
    .map((text) => text.replace(/(^|\s)#.*$/, "").trimEnd())
    .filter((text) => text.trim() !== "");
  const last = before.at(-1);
  if (last === undefined) return false;
  return !/(^|[\s:])[-:?]$|[[\]{},'"|>]$|:$/.test(last);
}

/** The offset of the first `:` at or after `from` that is followed by a space, a line end or the end. */
function nextValueIndicator(doc: string, from: number): number | undefined {
  for (let i = from; i < doc.length; i++) {
    if (doc[i] === "#" && (i === 0 || /\s/.test(doc[i - 1] ?? ""))) {
      const end = doc.indexOf("\n", i);
      i = end < 0 ? doc.length : end;
      continue;
    }
    if (doc[i] === ":" && /^[\s]?$/.test(doc[i + 1] ?? "")) return i;
  }
  return undefined;
}

/** The 1-based line of the first line after `line` that is not blank. */
function nextTokenLine(doc: string, line: number): number | undefined {
  const all = doc.split("\n");
  for (let i = line; i < all.length; i++) {
    // A comment line counts: the scanner's mark has reached it.
    if ((all[i] ?? "").trim() !== "") return i + 1;
  }
  return undefined;
}

interface Collection {
  kind: "map" | "seq";
  indent: number;
  /** 0-based line of its first entry (parser.go's context mark). */
  line: number;
}

/**
 * The block collections open at (line, column), from the indentation of the lines before it: a `- ` entry opens a
 * sequence at its column, a `key:` a mapping at its column (both also after a `- ` on the same line); a line pops
 * what is indented deeper. Block scalars' text lines are skipped. The innermost one not deeper than the column.
 */
function openCollection(doc: string, line: number, column: number): Collection | undefined {
  const stack: Collection[] = [];
  let scalarIndent: number | undefined;
  const all = doc.split("\n");
  // The error's own line counts with what starts before the error's column (`a: 'x' y`).
  for (let i = 0; i < line; i++) {
    const text = i === line - 1 ? (all[i] ?? "").slice(0, column) : (all[i] ?? "");
    const indent = text.length - text.trimStart().length;
    const content = text.trim();
    if (content === "" || content.startsWith("#")) continue;
    if (scalarIndent !== undefined) {
      if (indent > scalarIndent) continue;
      scalarIndent = undefined;
    }
    while ((stack.at(-1)?.indent ?? -1) > indent) stack.pop();
    let column0 = indent;
    let rest = content;
    for (;;) {
      const seq = /^-(\s+|$)/.exec(rest);
      const kind = seq ? "seq" : /^[^\s#-][^#]*?:(\s|$)/.test(rest) || /^-[^\s][^#]*?:(\s|$)/.test(rest) ? "map" : undefined;
      if (!kind) break;
      const top = stack.at(-1);
      if (!top || top.indent < column0 || top.kind !== kind) {
        while ((stack.at(-1)?.indent ?? -1) >= column0) stack.pop();
        stack.push({ kind, indent: column0, line: i });
      }
      if (!seq) break;
      column0 += seq[0].length;
      rest = rest.slice(seq[0].length);
    }
    if (/(^|\s)[|>][-+0-9]*$/.test(content.replace(/\s#.*$/, ""))) scalarIndent = indent;
  }
  while ((stack.at(-1)?.indent ?? -1) > column) stack.pop();
  return stack.at(-1);
}
