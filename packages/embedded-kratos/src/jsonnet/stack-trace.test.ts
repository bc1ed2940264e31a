import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateJsonnetText, JsonnetError } from "./index";

/**
 * Runtime errors read as go-jsonnet's VM returns them to Kratos (vm.go EvaluateAnonymousSnippet →
 * error_formatter.go termErrorFormatter.Format: the message, then `\t<location>\t<frame name>` lines from the
 * innermost frame out, at most 20 of them; interpreter.go callStack / getCurrentStackTrace decide the frames,
 * internal/parser/context.go addContext their names). The fixtures are go-jsonnet's own testdata goldens
 * (testdata/go-jsonnet-errors.json names their origin and licence).
 */

interface ErrorCase {
  name: string;
  source: string;
  expected: string;
}

const fixtures = JSON.parse(readFileSync(path.join(__dirname, "testdata", "go-jsonnet-errors.json"), "utf8")) as { cases: ErrorCase[] };

/**
 * go-jsonnet's testdata runner formats its goldens with a 9-frame trace (main_test.go: termErrorFormatter
 * maxStackTraceSize 9: the 4 innermost, `...`, the 5 outermost), where Kratos' VM uses the default 20. The runtime's
 * text is cut the same way here; a trace cut at 20 still holds the 4 innermost and 5 outermost frames.
 */
const GOLDEN_TRACE_SIZE = 9;

function asGolden(error: JsonnetError): string {
  const head = `RUNTIME ERROR: ${error.reason}\n`;
  if (error.kind === "static" || !error.message.startsWith(head)) return error.message;
  const frames = error.message.slice(head.length).split("\n").slice(0, -1);
  const cut = frames.includes("\t...") || frames.length > GOLDEN_TRACE_SIZE;
  const above = Math.floor(GOLDEN_TRACE_SIZE / 2);
  const kept = cut ? [...frames.slice(0, above), "\t...", ...frames.slice(frames.length - (GOLDEN_TRACE_SIZE - above))] : frames;
  return `${head}${kept.map((line) => `${line}\n`).join("")}`;
}

function run(c: ErrorCase): string {
  try {
    evaluateJsonnetText(c.source, { extVars: {}, filename: `testdata/${c.name}` });
  } catch (error) {
    if (error instanceof JsonnetError) return asGolden(error);
    throw error;
  }
  return "(no error)";
}

describe("runtime errors with go-jsonnet's stack trace (testdata goldens)", () => {
  it.each(fixtures.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(run(c)).toBe(c.expected);
  });
});

describe("go-jsonnet's call stack (interpreter.go callStack)", () => {
  const message = (source: string, tlas?: Record<string, unknown>): string => {
    try {
      evaluateJsonnetText(source, { extVars: {}, filename: "mapper.jsonnet", tlas });
    } catch (error) {
      if (error instanceof JsonnetError) return error.message;
      throw error;
    }
    return "(no error)";
  };

  it("names a web hook body's frames as Kratos passes them on (request/builder.go addJSONBody matches the first line)", () => {
    const body = 'function(ctx) {\n  identity: if ctx.identity == null then error "cancel" else ctx.identity,\n}';
    expect(message(body, { ctx: { identity: null } })).toBe(
      'RUNTIME ERROR: cancel\n\tmapper.jsonnet:2:42-56\tobject <anonymous>\n\tField "identity"\t\n\tDuring manifestation\t\n',
    );
  });

  it("names local functions, their thunks and the top-level call", () => {
    const source = "local check(v) =\n  assert std.isString(v) : 'not a string';\n  v;\nfunction(ctx) { email: check(ctx.email) }";
    expect(message(source, { ctx: { email: 1 } })).toBe(
      "RUNTIME ERROR: not a string\n" +
        "\tmapper.jsonnet:(2:3)-(3:4)\t\n" +
        "\tmapper.jsonnet:4:24-40\tobject <anonymous>\n" +
        '\tField "email"\t\n' +
        "\tDuring manifestation\t\n",
    );
  });

  it("counts frames, not calls: 500 at most, the trace cut to the 10 innermost and 10 outermost (termErrorFormatter, maxStackTraceSize 20)", () => {
    const text = message("local f(n) = if n == 0 then 0 else 1 + f(n - 1); f(600)");
    const lines = text.split("\n");
    expect(lines[0]).toBe("RUNTIME ERROR: max stack frames exceeded.");
    expect(lines.filter((line) => line.startsWith("\t"))).toHaveLength(21);
    expect(lines[11]).toBe("\t...");
    expect(lines.slice(-3)).toEqual(["\tmapper.jsonnet:1:50-56\t$", "\tDuring evaluation\t", ""]);
  });

  it("runs tailstrict calls in tail position without growing the stack (evaluateTailCall, tailCallTrimStack)", () => {
    const loop = (n: number) => `local f(n, acc) = if n == 0 then acc else f(n - 1, acc + 1) tailstrict; f(${n}, 0)`;
    expect(evaluateJsonnetText(loop(800), { extVars: {} })).toBe("800\n");
    // Without tailstrict every call keeps its frame.
    expect(message(loop(800).replace(" tailstrict", ""))).toMatch(/^RUNTIME ERROR: max stack frames exceeded\.\n/);
  });
});

/**
 * Frames inside std.jsonnet code, beyond what the goldens pin down: the full trace (Kratos' 20 frames) of the code
 * paths std-frames.ts reproduces, derived from go-jsonnet's interpreter.go (rawevaluate *ast.Apply / *ast.Var,
 * evaluateTailCall, EvalInCleanEnv), thunks.go (closure.evalCall, cachedThunk.getValue, plusSuperUnboundField.evaluate)
 * and builtins.go (builtinMakeArray), walking stdlib/std.jsonnet's `mod`, `format` and `assertEqual`.
 */
describe("frames of the std functions go-jsonnet runs as std.jsonnet code", () => {
  const message = (source: string): string => {
    try {
      evaluateJsonnetText(source, { extVars: {}, filename: "mapper.jsonnet" });
    } catch (error) {
      if (error instanceof JsonnetError) return error.message;
      throw error;
    }
    return "(no error)";
  };
  const trace = (...lines: string[]) => lines.map((line) => `\t${line}\n`).join("");
  // format's walk to a code's value: s_padded → pad_left → padding → aux's `w <= 0` → std.length(str) → s → format_code.
  const padLeftToFormatCode = [
    "<std>:754:15-60\tthunk <s> from <function <format_codes_arr>>",
    "<std>:759:24-25\tthunk from <thunk <s_padded> from <function <format_codes_arr>>>",
    "<std>:512:30-33\tthunk from <thunk from <function <pad_left>>>",
    "<std>:512:19-34\tthunk from <function <pad_left>>",
    "<std>:508:11-12\tthunk from <function <padding>>",
    "<std>:504:12-13\tfunction <aux>",
    "<std>:508:7-17\tfunction <padding>",
    "<std>:512:7-38\tfunction <pad_left>",
    "<std>:759:15-39\tthunk <s_padded> from <function <format_codes_arr>>",
    "<std>:765:55-63\tthunk from <function <format_codes_arr>>",
    "<std>:765:11-64\tfunction <format_codes_arr>",
  ];

  it("reads a failing value of `%` through std.mod, format and format_code (std.jsonnet mod, format_codes_arr)", () => {
    expect(message('"%s" % [error "e"]')).toBe(
      "RUNTIME ERROR: e\n" +
        trace(
          "mapper.jsonnet:1:9-18\tthunk from <$>",
          "<std>:747:15-22\tthunk <val> from <function <format_codes_arr>>",
          "<std>:754:27-30\tthunk from <thunk <s> from <function <format_codes_arr>>>",
          "<std>:624:22-25\tthunk from <function <format_code>>",
          "<std>:624:9-26\tfunction <format_code>",
          ...padLeftToFormatCode,
          "<std>:809:7-46\tfunction <anonymous>",
          "<std>:260:7-23\tfunction <anonymous>",
          "mapper.jsonnet:1:1-19\t",
          "During evaluation\t",
        ),
    );
  });

  it("pads a left-aligned code with pad_right, which reads the text first (std.jsonnet pad_right)", () => {
    expect(message('"%-3d" % ["x"]')).toBe(
      "RUNTIME ERROR: Format required number at 0, got string\n" +
        trace(
          "<std>:(627:11)-(628:47)\tfunction <format_code>",
          "<std>:754:15-60\tthunk <s> from <function <format_codes_arr>>",
          "<std>:757:25-26\tthunk from <thunk <s_padded> from <function <format_codes_arr>>>",
          "<std>:516:7-10\tfunction <pad_right>",
          "<std>:757:15-40\tthunk <s_padded> from <function <format_codes_arr>>",
          "<std>:765:55-63\tthunk from <function <format_codes_arr>>",
          "<std>:765:11-64\tfunction <format_codes_arr>",
          "<std>:809:7-46\tfunction <anonymous>",
          "<std>:260:7-23\tfunction <anonymous>",
          "mapper.jsonnet:1:1-15\t",
          "During evaluation\t",
        ),
    );
  });

  it("formats an object with format_codes_obj (std.jsonnet format_codes_obj: `No such field`)", () => {
    expect(message('"%(b)s" % {a: 1}').split("\n").slice(0, 5)).toEqual([
      "RUNTIME ERROR: No such field: b",
      "\t<std>:795:15-42\tthunk <val> from <function <format_codes_obj>>",
      "\t<std>:800:27-30\tthunk from <thunk <s> from <function <format_codes_obj>>>",
      "\t<std>:624:22-25\tthunk from <function <format_code>>",
      "\t<std>:624:9-26\tfunction <format_code>",
    ]);
    expect(message('"%(b)s" % {a: 1}')).toContain(
      trace("<std>:806:11-60\tfunction <format_codes_obj>", "<std>:811:7-43\tfunction <anonymous>"),
    );
  });

  it("forces the operands of `%` inside std.mod (std.jsonnet mod: std.isNumber(a), itself std.jsonnet code)", () => {
    expect(message('(error "a") % 2')).toBe(
      "RUNTIME ERROR: a\n" +
        trace(
          "mapper.jsonnet:1:2-11\t$",
          "<std>:257:21-22\tthunk from <function <anonymous>>",
          "<std>:31:26-27\tthunk from <function <anonymous>>",
          "<std>:31:17-28\tfunction <anonymous>",
          "<std>:257:8-23\tfunction <anonymous>",
          "mapper.jsonnet:1:1-16\t",
          "During evaluation\t",
        ),
    );
  });

  it("calls std.format from user code in a frame of its own (std.jsonnet format)", () => {
    expect(message('std.format("%d", ["x"])').split("\n").slice(-5)).toEqual([
      "\t<std>:765:11-64\tfunction <format_codes_arr>",
      "\t<std>:809:7-46\tfunction <anonymous>",
      "\tmapper.jsonnet:1:1-24\t$",
      "\tDuring evaluation\t",
      "",
    ]);
  });

  it("reads std.assertEqual's arguments in `a == b` (std.jsonnet assertEqual)", () => {
    expect(message('std.assertEqual(error "a", 1)')).toBe(
      "RUNTIME ERROR: a\n" +
        trace(
          "mapper.jsonnet:1:17-26\tthunk from <$>",
          "<std>:847:8-9\tfunction <anonymous>",
          "mapper.jsonnet:1:1-30\t$",
          "During evaluation\t",
        ),
    );
  });

  it("computes a `+:` field's body in a frame pushed from its `+:` place (thunks.go plusSuperUnboundField.evaluate)", () => {
    expect(message('{a+: error "x"}')).toBe(
      "RUNTIME ERROR: x\n" +
        trace("mapper.jsonnet:1:6-15\tobject <anonymous>", "mapper.jsonnet:1:6-15\t+:", 'Field "a"\t', "During manifestation\t"),
    );
  });

  it("calls std.makeArray's function from a place without a location (builtins.go builtinMakeArray, astMakeArrayElement)", () => {
    expect(message('std.makeArray(2, function(i) error "x")[1]')).toBe(
      "RUNTIME ERROR: x\n" + trace("mapper.jsonnet:1:30-39\tfunction <anonymous>", "\t", "mapper.jsonnet:1:1-43\t$", "During evaluation\t"),
    );
  });
});
