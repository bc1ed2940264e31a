import { joinStrings, namesOf, objectFieldsTraced } from "./std-jsonnet-text";
import { isTypeTraced, type StdCode, stdSite, thunkFrom } from "./std-frames";
import { modTraced } from "./std-mod";
import type { StdContext } from "./std-support";
import { JArray, JObject, plus, quoteJson, Thunk, toStringValue, type Value } from "./values";

/**
 * std.manifestPython and std.manifestPythonVars as go-jsonnet v0.21 runs them: std.jsonnet code (lines 1309–1333)
 * that renders each field or element with `'%s: %s' % […]` (std.mod, then std.format) inside a comprehension whose
 * elements std.join forces, so a failing value shows that whole path of `<std>` frames. Checked against a go-jsonnet
 * build in testdata/go-jsonnet-std-text.json.
 */

const METHOD = "function <anonymous>";
const within = (depth: number, base: string) => thunkFrom(base, depth);
const site = (line: number, column: number, endColumn: number, depth = 0) => stdSite(line, column, endColumn, within(depth, METHOD));
/** A desugared `%` or comprehension: its own extent, no name. */
const unnamed = (line: number, column: number, endColumn: number, endLine = line) => ({
  message: "",
  loc: stdSite(line, column, endColumn, "", endLine).loc,
});

/** Where manifestPython's tests `std.isX(v)` sit (line, first and end column); `v` is the argument's one letter. */
const TESTS = {
  object: [1310, 8, 23],
  array: [1316, 13, 27],
  string: [1318, 13, 28],
  function: [1320, 13, 30],
  number: [1322, 13, 28],
} as const;

const FIELDS = "thunk <fields> from <function <anonymous>>";
const VARS = "thunk <vars> from <function <anonymous>>";

export class StdPython {
  constructor(
    private readonly std: StdCode,
    private readonly context: StdContext,
  ) {}

  /** `text % [values…]` written at `at`: std.mod's frame entered from the operator's place. */
  private percent(at: { message: string; loc: ReturnType<typeof site>["loc"] }, text: string, values: Thunk[]): Value {
    return this.std.at(at, () => this.std.body(() => modTraced(this.std, Thunk.of(text), Thunk.of(new JArray(values)))));
  }

  /**
   * The comprehension `[… for k in std.objectFields(obj)]` that is the local `local` (fields or vars): its frame
   * at `extent`, its source a call at `source` reading `obj` at `variable`, one element per field.
   */
  private fieldComprehension(
    extent: ReturnType<typeof unnamed>,
    source: ReturnType<typeof site>,
    variable: ReturnType<typeof site>,
    obj: Thunk,
    element: (name: string) => Thunk,
  ): Thunk {
    return this.std.lazy(() =>
      this.std.at(extent, () => {
        const names = this.std.lazy(() => new JArray(objectFieldsTraced(this.std, source, variable, obj).map((n) => Thunk.of(n))));
        const list = names.get();
        return new JArray(namesOf(list).map(element));
      }),
    );
  }

  /** std.manifestPython(v): by the type of `v`, each test (std.isObject …) reading it in turn. */
  manifestPython(v: Thunk): Value {
    const test = (type: keyof typeof TESTS) => {
      const [line, column, end] = TESTS[type];
      return isTypeTraced(this.std, type, site(line, column, end), site(line, end - 2, end - 1, 1), v);
    };
    if (test("object")) return this.pythonObject(v);
    if (test("array")) return this.pythonArray(v);
    const value = v.get();
    if (test("string")) {
      // `'%s' % […]`: the call of std.mod ends the body.
      this.std.endsInCall();
      return quoteJson(typeof value === "string" ? value : "");
    }
    if (test("function")) return this.std.fail(site(1321, 7, 39), "cannot manifest function");
    if (test("number")) {
      this.std.endsInCall();
      return this.std.at(site(1323, 7, 22), () => toStringValue(value));
    }
    return value === true ? "True" : value === false ? "False" : "None";
  }

  /** Lines 1311–1315: `fields` (one `'%s: %s' % [key, value]` per field), joined into `'{%s}'`. */
  private pythonObject(v: Thunk): Value {
    // The local `fields` waits; the `%` (std.mod) ends the body.
    this.std.endsInCall();
    const object = v.get();
    const element = (k: string) =>
      this.std.lazy(() => {
        const value = this.std.lazy(() =>
          this.std.call(stdSite(1312, 48, 72, within(2, FIELDS)), () =>
            this.manifestPython(
              this.std.lazy(() =>
                this.std.at(stdSite(1312, 67, 71, within(3, FIELDS)), () => (object instanceof JObject ? object.get(k) : null)),
              ),
            ),
          ),
        );
        return this.percent(unnamed(1312, 9, 73), "%s: %s", [Thunk.of(quoteJson(k)), value]);
      });
    const fields = this.fieldComprehension(
      unnamed(1311, 22, 8, 1314),
      stdSite(1313, 18, 37, FIELDS),
      stdSite(1313, 35, 36, within(1, FIELDS)),
      v,
      element,
    );
    const joined = this.std.lazy(() => {
      const call = site(1315, 17, 39, 1);
      const list = this.std.argument(call, site(1315, 32, 38, 2), fields);
      return this.std.at(call, () => joinStrings(this.context, ", ", list instanceof JArray ? list.elements : []));
    });
    return this.percent(unnamed(1315, 7, 40), "{%s}", [joined]);
  }

  /** Line 1317: `'[%s]' % [std.join(', ', [std.manifestPython(v2) for v2 in v])]`. */
  private pythonArray(v: Thunk): Value {
    this.std.endsInCall();
    const list = v.get();
    const items = (list instanceof JArray ? list.elements : []).map((v2) =>
      this.std.lazy(() => this.std.call(site(1317, 33, 55, 3), () => this.manifestPython(this.std.variable(site(1317, 52, 54, 4), v2)))),
    );
    const joined = this.std.lazy(() => this.std.at(site(1317, 17, 69, 1), () => joinStrings(this.context, ", ", items)));
    return this.percent(unnamed(1317, 7, 70), "[%s]", [joined]);
  }

  /** std.manifestPythonVars (lines 1331–1333): `vars`, one `'%s = %s' % [k, …]` per field, joined by lines. */
  manifestPythonVars(conf: Thunk): Value {
    // The local `vars` waits; the std.join call ends the body.
    this.std.endsInCall();
    const element = (k: string) =>
      this.std.lazy(() => {
        const value = this.std.lazy(() =>
          this.std.call(stdSite(1332, 35, 62, within(2, VARS)), () =>
            this.manifestPython(
              this.std.lazy(() =>
                this.std.at(stdSite(1332, 54, 61, within(3, VARS)), () => {
                  const object = conf.get();
                  return object instanceof JObject ? object.get(k) : null;
                }),
              ),
            ),
          ),
        );
        return this.percent(unnamed(1332, 19, 63), "%s = %s", [Thunk.of(k), value]);
      });
    const vars = this.fieldComprehension(
      unnamed(1332, 18, 96),
      stdSite(1332, 73, 95, VARS),
      stdSite(1332, 90, 94, within(1, VARS)),
      conf,
      element,
    );
    const lines = this.std.lazy(() => {
      const left = this.std.read(site(1333, 20, 24, 1), vars);
      return this.std.at(site(1333, 20, 31, 1), () => plus(left, new JArray([Thunk.of("")])));
    });
    const call = site(1333, 5, 32);
    const list = this.std.at(call, () => lines.get());
    return this.std.at(call, () => joinStrings(this.context, "\n", list instanceof JArray ? list.elements : []));
  }
}
