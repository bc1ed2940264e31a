import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fma } from "./go-float";
import { goExp, goLdexp, goLog, goPow } from "./go-math";
import { goAtan2, goCos, goSin, goTan } from "./go-trig";
import { evaluateJsonnetText, JsonnetError } from "./index";

/**
 * Go's math as go-jsonnet's builtins call it (builtins.go builtinPow, builtinExp, builtinLog, liftNumeric(math.Sin) …;
 * math/pow.go Pow, exp_amd64.s archExp, log_amd64.s archLog, sin.go, tan.go, trig_reduce.go trigReduce). The
 * fixtures are go-jsonnet's own testdata goldens (testdata/go-jsonnet-math.json names their origin and licence).
 */

interface GoldenCase {
  name: string;
  source: string;
  golden: string;
}

const fixtures = JSON.parse(readFileSync(path.join(__dirname, "testdata", "go-jsonnet-math.json"), "utf8")) as { cases: GoldenCase[] };

function run(source: string): string {
  try {
    return evaluateJsonnetText(source, { extVars: {} }).replace(/\n$/, "");
  } catch (error) {
    if (error instanceof JsonnetError) return error.message.split("\n")[0] ?? "";
    throw error;
  }
}

describe("Go's math in std (go-jsonnet testdata goldens)", () => {
  it.each(fixtures.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(run(c.source)).toBe(c.golden);
  });
});

describe("the ports of Go's math package", () => {
  it("fuses multiply-add with one rounding, as VFMADD231SD does", () => {
    expect(fma(0.1, 10, -1)).toBe(5.551115123125783e-17);
    expect(fma(2, 3, 4)).toBe(10);
    // (1 + 2^-52)² − (1 + 2^-51): the 2^-104 a separate multiplication would round away.
    expect(fma(1 + 2 ** -52, 1 + 2 ** -52, -(1 + 2 ** -51))).toBe(2 ** -104);
  });

  it("pow.go: std.pow(1.1, 7447.081) as Go's repeated squaring gives it (testdata/pow6), not V8's pow", () => {
    expect(goPow(1.1, 7447.081)).toBe(1.7975425555842324e308);
    expect(Math.pow(1.1, 7447.081)).not.toBe(goPow(1.1, 7447.081));
    expect(goPow(2, -1074)).toBe(5e-324);
    expect(goPow(-2, 3)).toBe(-8);
    expect(goPow(-8, 1 / 3)).toBeNaN();
    expect(Object.is(goPow(-0, 3), -0)).toBe(true);
  });

  it("exp_amd64.s / log_amd64.s: special values and the subnormal range", () => {
    expect(goExp(0)).toBe(1);
    expect(goExp(-Infinity)).toBe(0);
    expect(goExp(710)).toBe(Infinity);
    expect(goExp(-745.2)).toBe(0);
    expect(goExp(-740)).toBeGreaterThan(0);
    expect(goLog(1)).toBe(0);
    expect(goLog(0)).toBe(-Infinity);
    expect(goLog(-1)).toBeNaN();
    expect(goLdexp(0.5, -1074)).toBe(0);
    // 1.5 × 2^-1074 rounds to even in ldexp.go's final multiplication.
    expect(goLdexp(0.75, -1073)).toBe(1e-323);
  });

  it("sin.go, tan.go, trig_reduce.go: Cephes' polynomials, Payne-Hanek above 2^29", () => {
    expect(goSin(1)).toBe(0.8414709848078965);
    expect(goCos(1)).toBe(0.5403023058681398);
    expect(Object.is(goSin(-0), -0)).toBe(true);
    expect(goSin(Infinity)).toBeNaN();
    // Huge arguments: the reduced angle keeps its bits (sin(1e22) is a known reference value).
    expect(goSin(1e22)).toBeCloseTo(-0.8522008497671888, 15);
    expect(goTan(Math.PI / 4)).toBeCloseTo(1, 15);
    expect(goAtan2(-0, -1)).toBe(-Math.PI);
    expect(goAtan2(1, -Infinity)).toBe(Math.PI);
  });
});
