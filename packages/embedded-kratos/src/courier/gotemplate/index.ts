import { BUILTINS, evalArgs } from "./builtins";
import { jsLimitMessage } from "./evaluator";
import { DEFAULT_LIMITS, execute, type ExecLimits, TemplateExecError } from "./exec";
import { TEXT } from "./html-context";
import { escapeInContext } from "./html-escape";
import { htmlContexts, HtmlTemplateError } from "./html-walk";
import { parseTemplate, TemplateParseError } from "./parser";
import { SPRIG_FUNCS } from "./sprig";
import type { GoFunc } from "./values";

export { TemplateExecError, TemplateParseError, DEFAULT_LIMITS, type ExecLimits };
export { GoStruct, type GoMethodSet, withGoMethods } from "./values";

/**
 * Go's text/template (html/template for HTML bodies) with sprig's hermetic
 * functions, as Kratos parses courier templates
 * (courier/template/load_template.go: `template.New(name).Funcs(sprig.HermeticTxtFuncMap()).Parse(text)`).
 */
export interface CompiledTemplate {
  /** Template.Execute with `data` as dot; throws TemplateExecError with Go's message, or when a cap is hit. */
  render(data: unknown): string;
}

export interface CompileOptions {
  /** html/template: values are escaped for where they print, HTML comments are dropped. */
  html?: boolean;
  limits?: ExecLimits;
}

/** FuncMap entries come before the builtins, so sprig's `slice` replaces text/template's. */
const FUNCS: ReadonlyMap<string, GoFunc & { builtin?: boolean; raw?: boolean }> = new Map<
  string,
  GoFunc & { builtin?: boolean; raw?: boolean }
>([...BUILTINS, ...SPRIG_FUNCS]);

/**
 * html/template replaces a predefined `html` escaper at the end of a
 * pipeline with its own contextual one (escape.go ensurePipelineContains),
 * so the value is escaped once, not twice.
 */
const HTML_FUNCS: ReadonlyMap<string, GoFunc & { builtin?: boolean; raw?: boolean }> = new Map([
  ...FUNCS,
  ["html", { params: ["any"], variadic: true, builtin: true, call: (...args: unknown[]) => evalArgs(args) }],
]);

/** Parses `source` as template `name`; a syntax error or an unknown function throws TemplateParseError with Go's text. */
export function compileTemplate(source: string, name: string, options: CompileOptions = {}): CompiledTemplate {
  let trees: ReturnType<typeof parseTemplate>;
  try {
    trees = parseTemplate(name, source, (fn) => FUNCS.has(fn));
  } catch (error) {
    // Go's parser recurses on a growing stack; ours stops, with a parse error rather than a raw RangeError.
    if (error instanceof RangeError) throw new TemplateParseError(`template: ${name}: template nested too deeply for this engine`);
    throw error;
  }
  let contexts: ReturnType<typeof htmlContexts> | undefined;
  let refusal: HtmlTemplateError | undefined;
  if (options.html) {
    // html/template escapes on the first Execute, so a template it refuses fails there, not at Parse.
    try {
      contexts = htmlContexts(trees, name, name, source);
    } catch (error) {
      if (!(error instanceof HtmlTemplateError)) throw error;
      refusal = error;
    }
  }
  const execOptions = {
    parseName: name,
    source,
    trees,
    funcs: options.html ? HTML_FUNCS : FUNCS,
    limits: options.limits ?? DEFAULT_LIMITS,
    ...(contexts
      ? { escape: (node: Parameters<typeof contexts.get>[0], value: unknown) => escapeInContext(contexts.get(node) ?? TEXT, value) }
      : {}),
  };
  return {
    render: (data) => {
      if (refusal) throw new TemplateExecError(refusal.message);
      try {
        return execute(execOptions, name, data);
      } catch (error) {
        if (error instanceof RangeError) throw new TemplateExecError(`template: ${name}: ${jsLimitMessage(error)}`);
        throw error;
      }
    },
  };
}
