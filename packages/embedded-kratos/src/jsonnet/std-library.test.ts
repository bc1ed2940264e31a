import { describe, expect, it } from "vitest";
import { evaluateJsonnet, evaluateJsonnetText, JsonnetError } from "./index";

/**
 * go-jsonnet v0.21's standard library: the Go builtins (builtins.go) and stdlib/std.jsonnet. Expected values are
 * go-jsonnet's own: the golden files of its testdata/ (named per case) and the assertions of jsonnet's
 * test_suite/stdlib.jsonnet and test_suite/format.jsonnet, which go-jsonnet runs as well.
 */
const run = (source: string) => evaluateJsonnet(source, { extVars: {}, filename: "test.jsonnet" });
const reason = (source: string): string => {
  try {
    run(source);
  } catch (error) {
    if (error instanceof JsonnetError) return error.reason;
    throw error;
  }
  throw new Error("expected a JsonnetError");
};

describe("std hashes and bytes (builtins.go builtinMd5, builtinSha1/256/512, builtinSha3, builtinBase64*, builtinEncodeUTF8)", () => {
  it("hashes as go-jsonnet does (testdata/std.md5_5, builtinSha3)", () => {
    expect(run('std.md5("ą")')).toBe("5786eab716295401c073064c3ec82a44");
    expect(run('std.sha3("foo")')).toBe(
      "4bca2b137edc580fe50a88983ef860ebaca36c857b1f492839d6d7392452a63c82cbebc68e3b70a2a1480b4bb5d437a7cba6ecf9d89f9ff3ccd14cd6146ea7e7",
    );
    expect(run('std.sha1("foo")')).toBe("0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33");
    expect(run('std.sha256("foo")')).toBe("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
  });

  it("converts bytes (testdata/encodeUTF8, decodeUTF8, builtinBase64_byte_array, builtinBase64DecodeBytes)", () => {
    expect(run("std.encodeUTF8('§')")).toEqual([194, 167]);
    expect(run("std.decodeUTF8([122, 97, 197, 188])")).toBe("zaż");
    expect(run("std.base64([0, 1, 2, 255])")).toBe("AAEC/w==");
    expect(run('std.base64DecodeBytes("SGk=")')).toEqual([72, 105]);
    expect(reason('std.base64Decode("SGk")')).toBe("input string appears not to be a base64 encoded string. Wrong length found (3)");
  });
});

describe("std manifest functions", () => {
  it("writes YAML as builtinManifestYamlDoc (testdata/builtin_manifestYamlDoc, object / object_unquoted)", () => {
    const object = `{ foo: 'baz', abc: 'def', bar: self.foo, baz: 1, bazel: 1.42, boom: -1, bim: false, bam: true,
      blamo: { cereal: ['<>& fizbuzz', ['a', ['b']]], treats: [{ name: 'chocolate' }] } }`;
    expect(run(`std.manifestYamlDoc(${object})`)).toBe(
      '"abc": "def"\n"bam": true\n"bar": "baz"\n"baz": 1\n"bazel": 1.42\n"bim": false\n"blamo":\n  "cereal":\n  - "<>& fizbuzz"\n  -\n    - "a"\n    -\n      - "b"\n  "treats":\n  - "name": "chocolate"\n"boom": -1\n"foo": "baz"',
    );
    expect(run(`std.manifestYamlDoc(${object}, quote_keys=false)`)).toBe(
      'abc: "def"\nbam: true\nbar: "baz"\nbaz: 1\nbazel: 1.42\nbim: false\nblamo:\n  cereal:\n  - "<>& fizbuzz"\n  -\n    - "a"\n    -\n      - "b"\n  treats:\n  - name: "chocolate"\nboom: -1\nfoo: "baz"',
    );
    expect(run("std.manifestYamlStream([{ a: 1 }, 'x\\n'])")).toBe('---\n"a": 1\n---\n|\n  x\n...\n');
  });

  it("writes TOML as builtinManifestTomlEx (testdata/builtin_manifestTomlEx, object)", () => {
    expect(
      run(`std.manifestTomlEx({ foo: 'baz', abc: 'def', bar: self.foo, baz: 1, bazel: 1.42, boom: -1, bim: false, bam: true,
        blamo: { cereal: ['<>& fizbuzz', ['a', ['b']]], treats: [{ name: 'chocolate' }] } }, '  ')`),
    ).toBe(
      'abc = "def"\nbam = true\nbar = "baz"\nbaz = 1\nbazel = 1.4199999999999999\nbim = false\nboom = -1\nfoo = "baz"\n\n[blamo]\n  cereal = [\n    "<>& fizbuzz",\n    [ "a", [ "b" ] ]\n  ]\n\n  [[blamo.treats]]\n    name = "chocolate"',
    );
  });

  it("writes INI, Python and JsonML XML as std.jsonnet does (test_suite/stdlib.jsonnet)", () => {
    expect(run("std.manifestIni({ main: { a: ['1', '2'] }, sections: { s2: { p: ['yes', ''] } } })")).toBe(
      "a = 1\na = 2\n[s2]\np = yes\np = \n",
    );
    expect(run("std.manifestPython({ a: true, c: null, o: { f1: 'foo' }, z: ['x', 1] })")).toBe(
      '{"a": True, "c": None, "o": {"f1": "foo"}, "z": ["x", 1]}',
    );
    expect(run("std.manifestXmlJsonml(['f', {}, ' ', ['g', 'inside'], 'nope', ['h', { attr: 'yolo' }, ['x', { attr: 'otter' }]]])")).toBe(
      '<f> <g>inside</g>nope<h attr="yolo"><x attr="otter"></x></h></f>',
    );
  });

  it("writes JSON as builtinManifestJSONEx: Go's number and string encoding, key_val_sep", () => {
    expect(run("std.manifestJsonMinified({ b: [1e21, 0.1], a: '<\\u2028>' })")).toBe('{"a":"<\\u2028>","b":[1000000000000000000000,0.1]}');
    expect(run("std.manifestJsonEx({ a: [] }, '  ', key_val_sep=' = ')")).toBe('{\n  "a" = [\n\n  ]\n}');
  });
});

describe("std parsers (builtins.go builtinParseYAML, builtinParseInt; std.jsonnet parseOctal, parseHex)", () => {
  it("reads YAML documents and streams (testdata/parseYaml)", () => {
    expect(run("std.parseYaml('foo: bar\\naaa: {}\\nxxx:\\n- 42\\n- asdf\\n')")).toEqual({ aaa: {}, foo: "bar", xxx: [42, "asdf"] });
    expect(run("std.parseYaml('a: 1\\n---   \\na: 2\\n')")).toEqual([{ a: 1 }, { a: 2 }]);
    expect(run("std.parseYaml('a: 1\\n---a: 2\\na---: 3\\n')")).toEqual({ "---a": 2, a: 1, "a---": 3 });
  });

  it("parses integers as Go's strconv.ParseInt and std.jsonnet's parse_nat", () => {
    expect(run("[std.parseInt('+42'), std.parseOctal('755'), std.parseHex('ff')]")).toEqual([42, 493, 255]);
    expect(reason("std.parseInt('4x')")).toBe("4x is not a base 10 integer");
  });
});

describe("std.format (std.jsonnet format_code; test_suite/format.jsonnet)", () => {
  it("renders %e and %g", () => {
    expect(run("['%e' % 910, '%016e' % 910, '%#.0e' % 910.3, '%.3e' % 1000000001, '%E' % 910]")).toEqual([
      "9.100000e+02",
      "00009.100000e+02",
      "9.e+02",
      "1.000e+09",
      "9.100000E+02",
    ]);
    expect(run("['%g' % 0, '%#.3g' % 1000000001, '%#.3g' % 1.1, '%#.5g' % 1100, '%#.5g' % 110]")).toEqual([
      "0",
      "1.00e+09",
      "1.10",
      "1100.0",
      "110.00",
    ]);
  });

  it("reports format errors as std.jsonnet does", () => {
    expect(reason("'%q' % 1")).toBe("Unrecognised conversion type: q");
    expect(reason("'%' % 1")).toBe("Truncated format code.");
    expect(reason("'x %d' % ['y']")).toBe("Format required number at 0, got string");
  });
});

describe("std arrays, sets, objects and numbers", () => {
  it("folds, sets with keyF and the rest of the array functions (testdata/foldl_string, foldr_string, builtinRemove, builtinMinArray)", () => {
    expect(run("[std.foldl(function(i, v) i + v + v, 'bcd', 'a'), std.foldr(function(v, i) i + v + v, 'bcd', 'a')]")).toEqual([
      "abbccdd",
      "addccbb",
    ]);
    expect(run("std.setUnion([{ k: 1, v: 'a' }], [{ k: 1, v: 'b' }, { k: 2, v: 'c' }], function(x) x.k)")).toEqual([
      { k: 1, v: "a" },
      { k: 2, v: "c" },
    ]);
    expect(
      run("[std.setInter(['a', 'b'], ['b', 'c']), std.setDiff(['a', 'b'], ['b']), std.setMember('b', ['a', 'b']), std.set([3, 1, 3])]"),
    ).toEqual([["b"], ["a"], true, [1, 3]]);
    expect(
      run(
        "[std.remove([1, 2, 3], 2), std.minArray([1, -1, 0]), std.maxArray([], onEmpty='none'), std.repeat('ab', 2), std.slice([1, 2, 3, 4], 1, null, 2)]",
      ),
    ).toEqual([[1, 3], -1, "none", "abab", [2, 4]]);
    expect(run("std.filter(function(n) false, [error 'xxx'])")).toEqual([]);
  });

  it("computes numbers as the Go builtins (testdata/builtinRound, std.mantissa3, modulo3, percent_mod_int5)", () => {
    expect(
      run("[std.round(2.5), std.round(-2.5), std.mantissa(0.42), std.exponent(0.42), std.modulo(16, -3), std.mod(-16, 3), 1 << 40]"),
    ).toEqual([3, -3, 0.84, -1, 1, -1, 1099511627776]);
    expect(reason("42 % 0")).toBe("Division by zero.");
    expect(reason("1e308 * 10")).toBe("Overflow");
    expect(reason("1 << -1")).toBe("Shift by negative exponent.");
  });

  it("reflects on objects and strings (testdata/builtinObjectRemoveKey, std.native, splitLimitR)", () => {
    expect(run("std.objectRemoveKey({ foo: 1, bar: 2, baz: 3 }, 'foo')")).toEqual({ bar: 2, baz: 3 });
    expect(
      run("[std.native('anything'), std.splitLimitR('a.b.c', '.', 1), std.trim('\\u3000x\\u000b'), std.length(function(a, b=1) a)]"),
    ).toEqual([null, ["a.b", "c"], "x", 1]);
    expect(run("std.objectKeysValues({ b: 1, a:: 2 })")).toEqual([{ key: "b", value: 1 }]);
    expect(reason("{ assert false } + {}")).toBe("Object assertion failed.");
  });
});

describe("output text (go-jsonnet EvaluateAnonymousSnippet)", () => {
  it("keeps go-jsonnet's sorted key order for keys a JavaScript object would move", () => {
    expect(evaluateJsonnetText('{ b: 1, "10": 2, "9": 3 }', { extVars: {} })).toBe('{\n   "10": 2,\n   "9": 3,\n   "b": 1\n}\n');
  });
});
