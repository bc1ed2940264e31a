import { describe, expect, it } from "vitest";
import { compileTemplate, DEFAULT_LIMITS, TemplateExecError, TemplateParseError } from "./index";

const render = (source: string, limits = DEFAULT_LIMITS) => compileTemplate(source, "t", { limits }).render(null);

/** Go's outputs are from go1.19 text/template with sprig's dict, set, toJson and mustToJson as sprig v3.3.0 defines them. */
describe("template functions fail as Go does, or as the engine's own errors, never as raw JavaScript errors", () => {
  it("prints a float at any precision Go's fmt accepts (strconv.FormatFloat; toFixed stops at 100)", () => {
    expect(render(`{{printf "%.101f|%.3e|%.120e|%.150g|%.10g|%.2f" 1.5 1234.5 0.1 0.1 1234567.0 1e21}}`)).toBe(
      `1.5${"0".repeat(100)}|1.234e+03|1.000000000000000055511151231257827021181583404541015625${"0".repeat(66)}e-01|0.1000000000000000055511151231257827021181583404541015625|1234567|1000000000000000000000.00`,
    );
  });

  it("keeps `__proto__` a plain key of dict and set (Go maps have no prototype)", () => {
    expect(render(`{{$d := dict "__proto__" (dict "p" 1)}}{{$d.p}} {{len $d}} {{toJson $d}}`)).toBe(`<no value> 1 {"__proto__":{"p":1}}`);
    expect(
      render(`{{$d := dict}}{{$_ := set $d "__proto__" (dict "p" 1)}}{{$d.p}} {{len $d}} {{toJson $d}} {{index $d "__proto__"}}`),
    ).toBe(`<no value> 1 {"__proto__":{"p":1}} map[p:1]`);
  });

  it("marshals a map that contains itself as json.Marshal does: toJson prints nothing, mustToJson fails", () => {
    expect(render(`{{$d := dict}}{{$_ := set $d "a" $d}}[{{toJson $d}}]`)).toBe("[]");
    expect(() => render(`{{$d := dict}}{{$_ := set $d "a" $d}}{{mustToJson $d}}`)).toThrow(
      new TemplateExecError(
        'template: t:1:39: executing "t" at <mustToJson $d>: error calling mustToJson: json: unsupported value: encountered a cycle via map[string]interface {}',
      ),
    );
  });

  it("stops uniq's pairwise comparison at the step cap (ours: a function must not outlast the template's budget)", () => {
    expect(() => render(`{{len (uniq (until 5000))}}`, { ...DEFAULT_LIMITS, maxSteps: 1_000 })).toThrow(
      new TemplateExecError('template: t:1:7: executing "t" at <uniq (until 5000)>: execution stopped after 1000 steps'),
    );
  });

  it("reports nesting too deep for this engine as its own parse or exec error (ours: Go's stacks grow, ours do not)", () => {
    expect(() =>
      render(`{{$d := dict}}{{range until 200000}}{{$d = dict "a" $d}}{{end}}{{$d}}`, {
        ...DEFAULT_LIMITS,
        maxSteps: 10_000_000,
        maxMillis: 60_000,
      }),
    ).toThrow(TemplateExecError);
    expect(() => render("{{" + "(".repeat(50_000) + "1" + ")".repeat(50_000) + "}}")).toThrow(TemplateParseError);
  });
});
