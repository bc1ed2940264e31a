/**
 * A deliberately small, safe subset of Go's text/template, enough for
 * Kratos' courier templates: `{{ .Field }}`, nested lookups
 * (`{{ .Identity.traits.email }}`), trim markers (`{{-`, `-}}`) and comments
 * (`{{/* ... *\/}}`). Anything else (if/range/pipelines/functions) is
 * rejected when the template is parsed, so a template either renders
 * exactly as written or fails at start-up — never half-way through a send.
 */

export class TemplateSyntaxError extends Error {
  override name = "TemplateSyntaxError";
}

type Part = { kind: "text"; text: string } | { kind: "field"; path: string[] };

export interface CompiledTemplate {
  /** Renders with `escape` applied to every substituted value (identity for plain text, HTML escaping for HTML bodies). */
  render(data: Record<string, unknown>, escape?: (value: string) => string): string;
}

const ACTION = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
const FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*)*)$/;

export function compileTemplate(source: string, name = "template"): CompiledTemplate {
  const parts: Part[] = [];
  let last = 0;
  let trimNextText = false;
  for (const match of source.matchAll(ACTION)) {
    const [whole, trimLeft, body = "", trimRight] = match;
    let text = source.slice(last, match.index);
    if (trimNextText) text = text.replace(/^\s+/, "");
    if (trimLeft) text = text.replace(/\s+$/, "");
    if (text) parts.push({ kind: "text", text });
    last = match.index + whole.length;
    trimNextText = trimRight === "-";

    if (body.startsWith("/*") && body.endsWith("*/")) continue;
    const field = FIELD.exec(body);
    if (body === ".") throw new TemplateSyntaxError(`${name}: "{{ . }}" is not supported; reference a field such as {{ .To }}`);
    if (!field) {
      throw new TemplateSyntaxError(
        `${name}: unsupported template action "{{ ${body} }}" — embedded-kratos supports field lookups such as {{ .RecoveryCode }} and comments only`,
      );
    }
    parts.push({ kind: "field", path: [field[1] ?? "", ...(field[2] ?? "").split(".").filter(Boolean)] });
  }
  let tail = source.slice(last);
  if (trimNextText) tail = tail.replace(/^\s+/, "");
  if (tail) parts.push({ kind: "text", text: tail });
  if (
    /\{\{|\}\}/.test(
      parts
        .filter((p) => p.kind === "text")
        .map((p) => (p as { text: string }).text)
        .join(""),
    )
  ) {
    throw new TemplateSyntaxError(`${name}: unbalanced "{{" or "}}"`);
  }

  return {
    render(data, escape = (v) => v) {
      return parts.map((p) => (p.kind === "text" ? p.text : escape(stringify(lookup(data, p.path))))).join("");
    },
  };
}

function lookup(data: unknown, path: string[]): unknown {
  let current = data;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Go prints missing map keys as "<no value>"; an empty string reads better in mail and leaks nothing. */
function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c] ?? c);
}
