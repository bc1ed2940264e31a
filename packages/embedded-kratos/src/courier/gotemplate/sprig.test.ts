import { describe, expect, it } from "vitest";
import { compileTemplate } from "./index";

const render = (text: string, data: unknown = {}) => compileTemplate(text, "t").render(data);

/** Expected outputs from sprig v3.3.0's own tests (strings_test.go, list_test.go, dict_test.go, defaults_test.go, numeric_test.go) or its docs. */
describe("sprig's hermetic functions (load_template.go: Funcs(sprig.HermeticTxtFuncMap()))", () => {
  it.each([
    [`{{"fooo" | substr 0 3 }}`, "foo"],
    [`{{"foo" | substr 0 10 }}`, "foo"],
    [`{{ "foooooo" | trunc 3 }}`, "foo"],
    [`{{ "baaaaaar" | trunc -3 }}`, "aar"],
    [`{{ "baaaaaar" | trunc -999 }}`, "baaaaaar"],
    [`{{quote "a" "b" "c"}}`, `"a" "b" "c"`],
    [`{{quote "\\"a\\"" "b" "c"}}`, `"\\"a\\"" "b" "c"`],
    [`{{quote 1 2 3 }}`, `"1" "2" "3"`],
    [`{{squote "a" "b" "c"}}`, `'a' 'b' 'c'`],
    [`{{$v := "foo$bar$baz" | split "$"}}{{$v._0}}`, "foo"],
    [`{{$v := "foo$bar$baz" | splitn "$" 2}}{{$v._1}}`, "bar$baz"],
    [`{{ toString 1 | kindOf }}`, "string"],
    [`{{ tuple "a" "b" "c" | join "-" }}`, "a-b-c"],
    [`{{ tuple 1 2 3 | join "-" }}`, "1-2-3"],
    [`{{b64enc "coffee"}}`, "Y29mZmVl"],
    [`{{b64dec "Y29mZmVl"}}`, "coffee"],
    [`{{$b := "b"}}{{"c" | cat "a" $b}}`, "a b c"],
    [`{{ upper "hello é" }} {{ lower "HeLLo" }} {{ title "hello world" }} {{ trim "  x  " }}`, "HELLO É hello Hello World x"],
    [
      `{{ "x" | repeat 3 }} {{ nospace "a b\tc" }} {{ replace " " "-" "a b c" }} {{ trimSuffix "-" "a-" }} {{ trimPrefix "-" "-a" }}`,
      "xxx abc a-b-c a a",
    ],
    // strings.Replace with an empty old string matches around every character.
    [`{{ replace "" "-" "ab" }}`, "-a-b-"],
    [`{{ contains "ell" "hello" }} {{ hasPrefix "he" "hello" }} {{ hasSuffix "lo" "hello" }}`, "true true true"],
    [`{{ "a\\nb" | indent 2 }}|{{ "a" | nindent 2 }}`, "  a\n  b|\n  a"],
    [`{{ abbrev 5 "hello world" }} {{ plural "one" "many" 2 }}`, "he... many"],
    [
      `{{ default "foo" .Nothing }} {{ default "foo" "bar" }} {{ empty "" }} {{ empty 0 }} {{ empty (list) }} {{ coalesce "" .Nothing "x" }}`,
      "foo bar true true true x",
    ],
    [
      `{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ add1 4 }} {{ max 1 5 3 }} {{ min 4 2 }}`,
      "6 3 24 3 1 5 5 2",
    ],
    [`{{ range until 3 }}{{ . }}{{ end }} {{ range untilStep 0 10 4 }}{{ . }}{{ end }}`, "012 048"],
    [
      `{{ list 1 "a" 2.5 }} {{ first (list 1 2) }} {{ last (list 1 2) }} {{ rest (list 1 2 3) }} {{ reverse (list 1 2) }}`,
      "[1 a 2.5] 1 2 [2 3] [2 1]",
    ],
    [
      `{{ has 2 (list 1 2) }} {{ without (list 1 2 3) 2 }} {{ uniq (list 1 1 2) }} {{ append (list 1) 2 }} {{ concat (list 1) (list 2) }}`,
      "true [1 3] [1 2] [1 2] [1 2]",
    ],
    [
      `{{ $d := dict "b" 1 "a" "x" }}{{ $d }} {{ get $d "a" }} {{ hasKey $d "b" }} {{ keys $d }} {{ toJson $d }}`,
      `map[a:x b:1] x true [a b] {"a":"x","b":1}`,
    ],
    [`{{ toJson "<a&b>" }} {{ toRawJson "<a&b>" }} {{ toPrettyJson (dict "a" 1) }}`, `"\\u003ca\\u0026b\\u003e" "<a&b>" {\n  "a": 1\n}`],
    [`{{ sha256sum "abc" }}`, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [`{{ ternary "yes" "no" true }} {{ atoi "42" }} {{ int "7" }} {{ float64 "1.5" }}`, "yes 42 7 1.5"],
  ])("%s", (text, expected) => {
    expect(render(text)).toBe(expected);
  });

  it("renders the model as json.Marshal does (the struct's json tags, in struct order)", () => {
    const data = { To: "a@b.c" };
    expect(render("{{ .To | upper }}", data)).toBe("A@B.C");
  });

  it("fails a call the way Go's recovered panic or returned error does", () => {
    expect(() => render("{{ div 1 0 }}")).toThrow(
      'template: t:1:3: executing "t" at <div 1 0>: error calling div: runtime error: integer divide by zero',
    );
    expect(() => render(`{{ fail "stop" }}`)).toThrow("error calling fail: stop");
    expect(() => render(`{{ first "abc" }}`)).toThrow("error calling first: Cannot find first on type string");
    expect(() => render(`{{ upper 3 }}`)).toThrow('template: t:1:9: executing "t" at <3>: expected string; found 3');
  });

  it("does not know the functions the hermetic map removes or that are not implemented: a parse error as for any unknown function", () => {
    // functions.go nonhermeticFunctions: now, date, env, randAlpha, uuidv4, ...
    expect(() => compileTemplate("{{ now }}", "t")).toThrow('template: t:1: function "now" not defined');
    expect(() => compileTemplate(`{{ env "HOME" }}`, "t")).toThrow('template: t:1: function "env" not defined');
    expect(() => compileTemplate(`{{ regexMatch "a" "a" }}`, "t")).toThrow('template: t:1: function "regexMatch" not defined');
  });
});

describe("execution caps (ours: a template must not hold the server)", () => {
  it("stops a huge list before building it", () => {
    expect(() => render("{{ range $i := until 100000000 }}{{ $i }}{{ end }}")).toThrow(/error calling until: result longer than 1048576/);
  });

  it("stops a template that loops too long or writes too much", () => {
    const limits = { maxSteps: 10_000, maxOutputBytes: 1_000, maxMillis: 2_000, maxDepth: 10 };
    expect(() => compileTemplate("{{ range until 100000 }}{{ end }}", "t", { limits }).render({})).toThrow(
      /execution stopped after 10000 steps/,
    );
    expect(() => compileTemplate(`{{ range until 500 }}xxx{{ end }}`, "t", { limits }).render({})).toThrow(/output exceeds 1000 bytes/);
    expect(() => compileTemplate(`{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}`, "t", { limits }).render({})).toThrow(
      /exceeded maximum template depth \(10\)/,
    );
  });
});
