import { describe, expect, it } from "vitest";
import { EVALUATION_ELEMENT_LIMIT } from "./budget";
import { evaluateJsonnet, EvaluationBudget, JsonnetError } from "./index";

/** Expected values are what go-jsonnet (as Kratos embeds it) prints for the same programs; semantics per https://jsonnet.org/ref/spec.html. */
const run = (source: string, extVars: Record<string, unknown> = {}, tlas?: Record<string, unknown>) =>
  evaluateJsonnet(source, { extVars, filename: "test.jsonnet", tlas });

const failure = (source: string, extVars: Record<string, unknown> = {}): JsonnetError => {
  try {
    run(source, extVars);
  } catch (error) {
    if (error instanceof JsonnetError) return error;
    throw error;
  }
  throw new Error("expected a JsonnetError");
};

describe("Jsonnet literals and lexing", () => {
  it("reads the string forms, escapes and comments", () => {
    expect(run(String.raw`["a\"b", 'c\'d', "\u00e9\t", @'e''f', @"g\h"]`)).toEqual(['a"b', "c'd", "é\t", "e'f", "g\\h"]);
    expect(run("// line\n# hash\n/* block\n */ 1 + 2")).toBe(3);
    expect(run("|||\n  hello\n    world\n|||")).toBe("hello\n  world\n");
    expect(run("|||-\n  chomped\n|||")).toBe("chomped");
    expect(run("[null, true, false, 1.5e2, 0]")).toEqual([null, true, false, 150, 0]);
  });
});

describe("Jsonnet objects", () => {
  it("drops hidden fields when manifesting and keeps them readable", () => {
    expect(run("{ a: 1, b:: 2, c: self.b + 1 }")).toEqual({ a: 1, c: 3 });
  });

  it("sorts keys as go-jsonnet's manifester does", () => {
    expect(Object.keys(run("{ b: 1, a: 2, C: 3 }") as object)).toEqual(["C", "a", "b"]);
  });

  it("leaves out a computed field whose name is null, including `if` without else", () => {
    expect(run('{ [if false then "x"]: 1, [null]: 2, ["y"]: 3, [if true then "z" else null]: 4 }')).toEqual({ y: 3, z: 4 });
  });

  it("merges with +: and inherits with +, late-binding self and super", () => {
    expect(run("{ a: { x: 1 } } + { a+: { y: 2 } }")).toEqual({ a: { x: 1, y: 2 } });
    expect(run("{ a: 1, b: self.a } + { a: 10 }")).toEqual({ a: 10, b: 10 });
    expect(run("{ a: 1 } + { a: super.a + 1, b: 'a' in super, c: 'z' in super }")).toEqual({ a: 2, b: true, c: false });
    expect(run("{ a:: 1 } + { a: 2 }")).toEqual({});
    expect(run("{ a:: 1 } + { a::: 2 }")).toEqual({ a: 2 });
    expect(run("{ a: 1 } { b: 2 }")).toEqual({ a: 1, b: 2 });
  });

  it("supports object locals, methods and $", () => {
    expect(run("{ local x = self.a * 2, a: 2, b: x, c: { d: $.a } }")).toEqual({ a: 2, b: 4, c: { d: 2 } });
    expect(run("local o = { a: 1, f(x): x + self.a }; (o + { a: 10 }).f(1)")).toBe(11);
  });

  it("`in` sees hidden fields", () => {
    expect(run("local o = { a:: 1 }; ['a' in o, 'b' in o, std.objectHas(o, 'a'), std.objectHasAll(o, 'a')]")).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it("does not force a field that is never manifested, but manifesting forces every visible one", () => {
    expect(run('{ a: error "never", b:: error "hidden", c: 1 }.c')).toBe(1);
    expect(run('{ a:: error "hidden", b: 1 }')).toEqual({ b: 1 });
    expect(failure('{ a: error "boom" }').message).toContain("RUNTIME ERROR: boom");
  });

  it("evaluates object comprehensions", () => {
    expect(run('{ [k]: k + "!" for k in ["a", "b"] }')).toEqual({ a: "a!", b: "b!" });
  });

  it("checks object assertions when the object is used", () => {
    expect(failure("{ assert self.a > 1 : 'a too small', a: 1 }").reason).toBe("a too small");
  });
});

describe("Jsonnet operators", () => {
  it("concatenates strings with anything, adds numbers, joins arrays", () => {
    expect(run('"a" + 1 + true')).toBe("a1true");
    expect(run('1 + "a"')).toBe("1a");
    expect(run('"x" + [1, 2] + { a: "b" } + null')).toBe('x[1, 2]{"a": "b"}null');
    expect(run('0.1 + ""')).toBe("0.10000000000000001");
    expect(run("[1] + [2, 3]")).toEqual([1, 2, 3]);
    expect(run("7 % 3 + 2 * 3 - 8 / 4")).toBe(5);
  });

  it("compares and combines booleans with short-circuit", () => {
    expect(run("[1 == 1, 'a' != 'b', 1 < 2, 'b' < 'a', [1, 2] < [1, 3], { a: 1 } == { a: 1, b:: 2 }, !false]")).toEqual([
      true,
      true,
      true,
      false,
      true,
      true,
      true,
    ]);
    expect(run('false && error "not evaluated"')).toBe(false);
    expect(run('true || error "not evaluated"')).toBe(true);
    expect(failure("1 && true").reason).toBe("Unexpected type number, expected boolean");
    expect(failure("if 'x' then 1").reason).toBe("Unexpected type string, expected boolean");
    expect(failure("1 < 'a'").reason).toBe("Unexpected type string, expected number");
  });

  it("refuses + on mismatched types with go-jsonnet's builtinPlus messages", () => {
    expect(failure("1 + [1]").reason).toBe("Unexpected type array, expected number");
    expect(failure("{} + 1").reason).toBe("Unexpected type number, expected object");
    expect(failure("null + 1").reason).toBe("Unexpected type null");
    expect(failure("1 - true").reason).toBe("Unexpected type boolean, expected number");
  });

  it("formats with % as std.format does", () => {
    expect(run('"%s-%d-%05.2f|%-3s|%3d|%%" % ["a", 3.9, 3.14159, "x", 7]')).toBe("a-3-03.14|x  |  7|%");
    expect(run('"hello %s" % "you"')).toBe("hello you");
    expect(run('"%(a)s=%(b)d" % { a: "x", b: 2 }')).toBe("x=2");
    expect(run('std.format("%s and %s", ["a", ["b"]])')).toBe('a and ["b"]');
  });
});

describe("Jsonnet expressions", () => {
  it("binds locals, functions with defaults and named arguments, recursion", () => {
    expect(run("local a = 1, b = a + 1; [a, b]")).toEqual([1, 2]);
    expect(run("local f(x, y=2) = x + y; [f(1), f(1, y=3), f(y=1, x=1)]")).toEqual([3, 4, 2]);
    expect(run("local fact(n) = if n <= 1 then 1 else n * fact(n - 1); fact(10)")).toBe(3628800);
  });

  it("evaluates if without else to null", () => {
    expect(run("[if false then 1, if true then 2]")).toEqual([null, 2]);
  });

  it("indexes objects, arrays and strings, and slices", () => {
    expect(run("local o = { a: { b: [10, 20] } }; [o.a.b[1], o['a']['b'][0], 'héllo'[1], [1, 2, 3][1:], 'abcdef'[::2]]")).toEqual([
      20,
      10,
      "é",
      [2, 3],
      "ace",
    ]);
  });

  it("evaluates array comprehensions", () => {
    expect(run("[x * y for x in [1, 2, 3] if x > 1 for y in [10, 100]]")).toEqual([20, 200, 30, 300]);
  });

  it("calls a top-level function with the top-level arguments (Kratos' web hook bodies)", () => {
    expect(run("function(ctx) { id: ctx.flow.id }", {}, { ctx: { flow: { id: "f1" } } })).toEqual({ id: "f1" });
  });

  it("reads external variables, and fails for an unknown one", () => {
    expect(run("std.extVar('claims').sub", { claims: { sub: "s" } })).toBe("s");
    expect(failure("std.extVar('nope')").reason).toBe("Undefined external variable: nope");
  });
});

describe("Jsonnet standard library subset", () => {
  it("works on strings", () => {
    expect(
      run(`[
        std.length("héllo"), std.split("a,b,,c", ","), std.join("-", ["a", "b"]), std.startsWith("abc", "ab"), std.endsWith("abc", "bc"),
        std.asciiLower("AbÉ"), std.asciiUpper("abé"), std.substr("hello", 1, 3), std.strReplace("a.b.c", ".", "/"),
        std.stripChars("  x  ", " "), std.trim(" \\ty\\n"), std.toString(12), std.toString("s"), std.splitLimit("a.b.c", ".", 1),
        std.parseInt("-42"), std.isEmpty(""), std.member("abc", "b"), std.escapeStringJson('a"b')
      ]`),
    ).toEqual([
      5,
      ["a", "b", "", "c"],
      "a-b",
      true,
      true,
      "abÉ",
      "ABé",
      "ell",
      "a/b/c",
      "x",
      "y",
      "12",
      "s",
      ["a", "b.c"],
      -42,
      true,
      true,
      '"a\\"b"',
    ]);
  });

  it("inspects types and objects", () => {
    expect(
      run(`local o = { b: 1, a:: 2 };
      [std.type(null), std.type(o), std.isString("s"), std.isNumber(1), std.isBoolean(false), std.isObject(o), std.isArray([]), std.isFunction(std.length),
       std.objectFields(o), std.objectFieldsAll(o), std.objectValues(o), std.length(o), std.get(o, "a"), std.get(o, "a", inc_hidden=false), std.get(o, "z", "d")]`),
    ).toEqual(["null", "object", true, true, true, true, true, true, ["b"], ["a", "b"], [1], 1, 2, null, "d"]);
  });

  it("evaluates std.get's default only when the field is missing", () => {
    expect(run('std.get({ x: 1 }, "x", error "lazy")')).toBe(1);
  });

  it("works on arrays and values", () => {
    expect(
      run(`[std.map(function(x) x + 1, [1, 2]), std.filter(function(x) x > 1, [1, 2, 3]), std.sort([3, 1, 2]), std.uniq([1, 1, 2]),
        std.range(1, 3), std.flattenArrays([[1], [2, 3]]), std.reverse([1, 2]), std.member([1, 2], 2), std.count([1, 2, 1], 1),
        std.prune({ a: null, b: [], c: { d: null }, e: 1, f: [null, 2] }), std.mergePatch({ a: 1, b: { c: 2 } }, { a: null, b: { d: 3 } }),
        std.abs(-2), std.max(1, 2), std.min(1, 2), std.floor(1.5), std.ceil(1.5), std.parseJson('{"a": [1]}'), std.base64("hi")]`),
    ).toEqual([
      [2, 3],
      [2, 3],
      [1, 2, 3],
      [1, 2],
      [1, 2, 3],
      [1, 2, 3],
      [2, 1],
      true,
      2,
      { e: 1, f: [2] },
      { b: { c: 2, d: 3 } },
      2,
      2,
      1,
      1,
      2,
      { a: [1] },
      "aGk=",
    ]);
  });

  it("hides std itself from output", () => {
    expect(run("{ s: std }")).toEqual({ s: {} });
  });
});

describe("Jsonnet errors", () => {
  it("error raises a runtime error whose message Kratos can match (request/builder.go checks RUNTIME ERROR: cancel)", () => {
    const error = failure('error "cancel"');
    expect(error.message.startsWith("RUNTIME ERROR: cancel")).toBe(true);
    expect(error.kind).toBe("runtime");
  });

  it("names missing fields and bad indexes with a line", () => {
    const error = failure("local o = { a: 1 };\n\no.b");
    expect(error.reason).toBe("Field does not exist: b");
    expect(error.location?.line).toBe(3);
    expect(failure("[1][3]").reason).toBe("Index 3 out of bounds, not within [0, 1)");
    expect(failure("null.a").reason).toBe("Value non indexable: *jsonnet.valueNull");
  });

  it("reports syntax errors statically with their position", () => {
    const error = failure("{\n  a: 1 +\n}");
    expect(error.kind).toBe("static");
    expect(error.message).toBe('test.jsonnet:3:1-2 Unexpected: "}" while parsing terminal\n\n}\n\n');
    expect(failure('"unterminated').reason).toBe("Unterminated String");
  });

  it("reports a std field go-jsonnet's std does not have as a missing field, with its line", () => {
    const std = failure("\n\nstd.md5x('x')");
    expect(std.kind).toBe("runtime");
    expect(std.reason).toBe("Field does not exist: md5x");
    expect(std.location?.line).toBe(3);
  });

  it("stops runaway recursion instead of overflowing the stack", () => {
    expect(failure("local f(x) = f(x) + 1; f(1)").reason).toContain("max stack frames exceeded");
    expect(failure("local o = { a: self.a }; o.a").reason).toContain("max stack frames exceeded");
  });

  // ory/x jsonnetsecure/jsonnet_pool.go EvaluateAnonymousSnippet: one second per evaluation; limit_unix.go caps the worker's memory.
  it("stops an evaluation past its time limit as Kratos' worker pool does", () => {
    let clock = 0;
    const budget = new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => (clock += 100));
    let caught: unknown;
    try {
      evaluateJsonnet("std.length([x for x in std.range(1, 100000) if x % 7 == 0])", { extVars: {}, budget });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JsonnetError);
    expect((caught as JsonnetError).kind).toBe("limit");
    expect((caught as JsonnetError).message).toBe("jsonnetsecure: eval: context deadline exceeded");
    // The same program completes while its clock stays within the second (a fixed clock: the machine's speed must not decide).
    const stillClock = new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => 0);
    expect(evaluateJsonnet("std.length([x for x in std.range(1, 100000) if x % 7 == 0])", { extVars: {}, budget: stillClock })).toBe(14285);
  });

  // A long text escaped character by character runs no step the evaluator counts: the library must look at the clock
  // itself, or a mapper escaping a user's megabyte (std.escapeStringXML) holds the server's process for seconds.
  it("keeps looking at the deadline while std.escapeStringXML escapes a long text", () => {
    let clock = 0;
    const budget = new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => (clock += 100));
    let caught: unknown;
    try {
      evaluateJsonnet("std.length(std.escapeStringXML(std.repeat('a<', 50000)))", { extVars: {}, budget });
    } catch (error) {
      caught = error;
    }
    expect((caught as JsonnetError | undefined)?.message).toBe("jsonnetsecure: eval: context deadline exceeded");
    const stillClock = new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => 0);
    expect(evaluateJsonnet("std.length(std.escapeStringXML(std.repeat('a<', 50000)))", { extVars: {}, budget: stillClock })).toBe(250000);
  });

  it("refuses to build more than the element limit instead of exhausting the server's memory", () => {
    const huge = failure("std.length(std.range(1, 1000000000))");
    expect(huge.kind).toBe("limit");
    expect(huge.message).toContain("more than 16777216 elements");
    // Doubling a string by concatenation is counted too.
    const doubling = failure("local grow(s, n) = if n == 0 then std.length(s) else grow(s + s, n - 1); grow('ab', 40)");
    expect(doubling.kind).toBe("limit");
    // So is what std.join would build: a 1,000-character separator between 100,000 strings.
    const joined = failure(
      "local sep = std.join('', ['x' for i in std.range(1, 1000)]); std.length(std.join(sep, ['a' for i in std.range(1, 100000)]))",
    );
    expect(joined.kind).toBe("limit");
    // And the padding a format width or precision asks for.
    expect(failure('std.length("%400000000d" % 1)').kind).toBe("limit");
    expect(failure('std.length("%.400000000d" % 1)').kind).toBe("limit");
    // A precision past a double's range: std.pow(10, prec) overflows in go-jsonnet too.
    expect(failure('std.length("%.400f" % 1)').message).toContain("Overflow");
  });

  it("rejects unknown variables and self outside an object before evaluating, as go-jsonnet's static checker", () => {
    const unknown = failure("if false then nope else 1");
    expect(unknown.kind).toBe("static");
    expect(unknown.reason).toBe("Unknown variable: nope");
    expect(failure("local f(x) = self.x; 1").reason).toBe("Can't use self outside of an object.");
    expect(run("local o = { local a = 1, [k]: a for k in ['x'] }; o")).toEqual({ x: 1 });
  });

  it("refuses to manifest functions", () => {
    expect(failure("{ f: function(x) x }").reason).toBe("couldn't manifest function as JSON");
  });
});
