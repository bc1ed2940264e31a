import { describe, expect, it } from "vitest";
import { compileTemplate } from "./index";

/**
 * html/template's contextual escaping (escape.go, transition.go, js.go) for
 * user values an attacker controls. Expected outputs are what Go's
 * html/template prints for the same template and data (go1.19 unless the
 * row says Go 1.22+, the behaviour of the Go 1.26 Kratos v26.2.0 builds with).
 */
const T = { name: "alert(1)", url: "javascript:alert(1)", re: "a/;alert(1);//", tl: "${alert(1)}", empty: "" };
const render = (source: string) => compileTemplate(source, "t", { html: true }).render({ T });

describe("html/template escapes each value for where it prints", () => {
  it.each([
    // transition.go tURL: spaces before a URL leave it at urlPartNone, so the scheme is still filtered.
    ["leading space in a URL attribute", `<a href=" {{.T.url}}">x</a>`, `<a href=" #ZgotmplZ">x</a>`],
    ["leading newline in a URL attribute", `<a href="\n{{.T.url}}">x</a>`, `<a href="\n#ZgotmplZ">x</a>`],
    // escape.go escapeAction: an action leaves urlPart as it was, so the second value is filtered too.
    ["a second action at the start of a URL", `<a href="{{.T.empty}}{{.T.url}}">x</a>`, `<a href="#ZgotmplZ">x</a>`],
    // transition.go tLineCmt + escape.go escapeText: the comment's quote is not a string, and is dropped.
    [
      "a line comment with a quote before a value",
      "<script>// don't\nvar x = {{.T.name}};</script>",
      `<script>\nvar x = "alert(1)";</script>`,
    ],
    [
      "a block comment in an on* attribute (kept)",
      `<a onclick="/* it's */ f({{.T.name}})">x</a>`,
      `<a onclick="/* it's */ f(&#34;alert(1)&#34;)">x</a>`,
    ],
    // js.go nextJSCtx + jsRegexpEscaper.
    ["a regular expression literal", `<script>var r = /{{.T.re}}/;</script>`, `<script>var r = /a\\/;alert\\(1\\);\\/\\//;</script>`],
    ["an empty value in a regular expression", `<script>var r = /{{.T.empty}}/;</script>`, `<script>var r = /(?:)/;</script>`],
    ["a division is not a regexp", `<script>var x = a / {{.T.name}};</script>`, `<script>var x = a / "alert(1)";</script>`],
    // Go 1.22+ tJSTmpl + jsTmplLitEscaper (Go 1.19 refused the template instead).
    [
      "a JS template literal (Go 1.22+)",
      "<script>var s = `{{.T.tl}}`;</script>",
      "<script>var s = `\\u0024\\u007balert(1)\\u007d`;</script>",
    ],
    [
      "a value inside ${...} of a template literal (Go 1.22+)",
      "<script>var s = `a${ {{.T.name}} }b`;</script>",
      '<script>var s = `a${ "alert(1)" }b`;</script>',
    ],
  ])("%s", (_, source, expected) => {
    expect(render(source)).toBe(expected);
  });

  it("prints a value json.Marshal refuses (a cycle) as a comment and null (js.go jsValEscaper)", () => {
    expect(render(`{{$d := dict}}{{$_ := set $d "a" $d}}<script>var x = {{$d}};</script>`)).toBe(
      "<script>var x =  /* json: unsupported value: encountered a cycle via map[string]interface {} */null ;</script>",
    );
  });

  it("refuses {{if}} branches that end in different contexts (escape.go join, ErrBranchEnd)", () => {
    expect(() => render(`{{if .T.name}}<a href="{{else}}<b x="1" title="{{end}}{{.T.url}}">x</a>`)).toThrow(
      "html/template:t:1:5: {{if}} branches end in different contexts: {stateURL delimDoubleQuote urlPartNone jsCtxRegexp attrURL elementNone <nil>}, {stateAttr delimDoubleQuote urlPartNone jsCtxRegexp attrNone elementNone <nil>}",
    );
  });

  it("joins branches differing only in urlPart, and refuses an action in the ambiguous URL that follows (escape.go join, ErrAmbigContext)", () => {
    expect(() => render(`<a href="{{if .T.name}}/x?{{end}}{{.T.url}}">x</a>`)).toThrow(
      "html/template:t:1:35: {{.T.url}} appears in an ambiguous context within a URL",
    );
  });

  it("refuses a range body that leaves JavaScript in another state on re-entry (escape.go escapeBranch)", () => {
    expect(() => compileTemplate(`<script>{{range .X}}/{{end}}</script>`, "t", { html: true }).render({ X: [1n] })).toThrow(
      "html/template:t:1:16: on range loop re-entry: {{range}} branches end in different contexts: {stateJSRegexp delimNone urlPartNone jsCtxRegexp attrNone elementScript <nil>}, {stateJS delimNone urlPartNone jsCtxDivOp attrNone elementScript <nil>}",
    );
  });

  it("reads a / after a value as a division (escape.go escapeAction: jsCtxDivOp)", () => {
    expect(render(`<script>var a = b {{if .T.name}}/{{end}} {{.T.name}}</script>`)).toBe('<script>var a = b / "alert(1)"</script>');
  });

  // Go escapes a copy of the callee for the call site's context; this model escapes callees from HTML text only, so it refuses the rest.
  it.each([
    ["a URL attribute", `{{define "u"}}{{.T.url}}{{end}}<a href="{{template "u" .}}">x</a>`],
    ["a script", `{{define "n"}}{{.T.name}}{{end}}<script>var x = {{template "n" .}};</script>`],
  ])("refuses {{template}} called from %s rather than print the value unescaped", (_, source) => {
    expect(() => render(source)).toThrow(/^html\/template:t:1:\d+: \{\{template "[un]" \.\}\} appears in \{state(URL|JS) /);
  });

  it("continues after a called template in the context the callee ends in (escape.go escapeTree)", () => {
    expect(render(`{{define "o"}}<a href="{{end}}{{template "o"}}{{.T.url}}">x</a>`)).toBe(`<a href="#ZgotmplZ">x</a>`);
  });
});
