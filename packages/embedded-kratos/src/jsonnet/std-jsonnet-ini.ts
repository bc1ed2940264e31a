import { index } from "./operators";
import { isTypeTraced, type StdCode, stdSite, thunkFrom } from "./std-frames";
import type { StdFunctions } from "./std-jsonnet-functions";
import { join, joinStrings, namesOf, objectFieldsTraced } from "./std-jsonnet-text";
import { modTraced } from "./std-mod";
import type { StdContext } from "./std-support";
import { JArray, plus, Thunk, unexpectedType, type Value } from "./values";

/**
 * std.manifestIni as go-jsonnet v0.21 runs it: std.jsonnet code (lines 898–916) with the locals body_lines,
 * section_lines, main_body and all_sections; every `k = v` line is a `'%s = %s' % […]` thunk that only the final
 * std.join forces, the sections are flattened by std.flattenArrays. A failure inside shows that path of `<std>`
 * frames; checked against a go-jsonnet build in testdata/go-jsonnet-std-text.json.
 */

const within = (depth: number, base: string) => thunkFrom(base, depth);
const METHOD = "function <anonymous>";
const BODY_LINES = "function <body_lines>";
const SECTION_LINES = "function <section_lines>";
const MAIN_BODY = "thunk <main_body> from <function <anonymous>>";
const ALL_SECTIONS = "thunk <all_sections> from <function <anonymous>>";
/** A comprehension element of body_lines. */
const ELEMENT = within(2, BODY_LINES);
const at = (line: number, column: number, endColumn: number, name: string) => stdSite(line, column, endColumn, name);
/** A desugared `%` or comprehension: its own extent, no name. */
const unnamed = (line: number, column: number, endColumn: number, endLine = line) => ({
  message: "",
  loc: stdSite(line, column, endColumn, "", endLine).loc,
});

export class StdIni {
  constructor(
    private readonly std: StdCode,
    private readonly context: StdContext,
    private readonly fns: StdFunctions,
  ) {}

  /** `text % [values…]` written at `place`: std.mod's frame entered from the operator's place. */
  private percent(place: ReturnType<typeof unnamed>, text: string, values: Thunk[]): Value {
    return this.std.at(place, () => this.std.body(() => modTraced(this.std, Thunk.of(text), Thunk.of(new JArray(values)))));
  }

  /** The value `ini.<name>` (or `obj[name]`), read without a frame of its own. */
  private field(obj: Thunk, name: string): Thunk {
    return new Thunk(() => index(obj.get(), name));
  }

  /** manifestIni's body: `std.join('\n', main_body + std.flattenArrays(all_sections) + [''])`. */
  manifestIni(ini: Thunk): Value {
    // The locals wait; the std.join call is the body's first and last.
    this.std.endsInCall();
    const mainBody = this.std.lazy(() => {
      const has = this.std.call(at(911, 26, 52, MAIN_BODY), () =>
        this.fns.objectHas(this.std.variable(at(911, 40, 43, within(1, MAIN_BODY)), ini), Thunk.of("main"), false),
      );
      if (has !== true) return new JArray([]);
      const body = this.std.variable(at(911, 69, 77, within(1, MAIN_BODY)), this.field(ini, "main"));
      return this.std.call(at(911, 58, 78, MAIN_BODY), () => this.bodyLines(body));
    });
    const allSections = this.std.lazy(() =>
      this.std.at(unnamed(912, 26, 6, 915), () => {
        const sections = this.field(ini, "sections");
        // The comprehension's source is a thunk of its own, computed in a frame pushed from the comprehension.
        const source = this.std.lazy(
          () =>
            new JArray(
              objectFieldsTraced(this.std, at(914, 16, 46, ALL_SECTIONS), at(914, 33, 45, within(1, ALL_SECTIONS)), sections).map((k) =>
                Thunk.of(k),
              ),
            ),
        );
        const list = source.get();
        const names = namesOf(list);
        const section = (k: string) =>
          this.std.lazy(() =>
            this.std.call(at(913, 7, 40, within(1, ALL_SECTIONS)), () =>
              this.sectionLines(k, this.std.variable(at(913, 24, 39, within(2, ALL_SECTIONS)), this.field(sections, k))),
            ),
          );
        return new JArray(names.map(section));
      }),
    );
    const lines = this.std.lazy(() => {
      const main = this.std.read(at(916, 20, 29, within(1, METHOD)), mainBody);
      const sections = this.std.call(at(916, 32, 63, within(1, METHOD)), () =>
        this.fns.flattenArrays(this.std.variable(at(916, 50, 62, within(2, METHOD)), allSections)),
      );
      const both = this.std.at(at(916, 20, 63, within(1, METHOD)), () => plus(main, sections));
      return this.std.at(at(916, 20, 70, within(1, METHOD)), () => plus(both, new JArray([Thunk.of("")])));
    });
    const call = at(916, 5, 71, METHOD);
    const list = this.std.at(call, () => lines.get());
    return this.std.at(call, () => {
      if (!(list instanceof JArray)) throw unexpectedType(list, "array");
      return joinStrings(this.context, "\n", list.elements);
    });
  }

  /** section_lines(sname, sbody), line 910: `['[%s]' % [sname]] + body_lines(sbody)`. */
  private sectionLines(name: string, body: Thunk): Value {
    const header = this.std.lazy(() => this.percent(unnamed(910, 42, 58), "[%s]", [Thunk.of(name)]));
    const lines = this.std.call(at(910, 62, 79, SECTION_LINES), () =>
      this.bodyLines(this.std.variable(at(910, 73, 78, within(1, SECTION_LINES)), body)),
    );
    return this.std.at(at(910, 41, 79, SECTION_LINES), () => plus(new JArray([header]), lines));
  }

  /**
   * body_lines(body), lines 899–908: `std.join([], [… for k in std.objectFields(body)])`, each element the lines of
   * one key: `'%s = %s' % [k, value]` per value of an array, or the one line of any other value.
   */
  private bodyLines(body: Thunk): Value {
    const call = stdSite(900, 7, 9, BODY_LINES, 908);
    const comprehension = this.std.lazy(() =>
      this.std.at(unnamed(900, 20, 8, 908), () => {
        const names = this.std.lazy(
          () =>
            new JArray(
              objectFieldsTraced(this.std, at(907, 18, 40, within(1, BODY_LINES)), at(907, 35, 39, within(2, BODY_LINES)), body).map((k) =>
                Thunk.of(k),
              ),
            ),
        );
        const list = names.get();
        return new JArray(namesOf(list).map((k) => this.std.lazy(() => this.keyLines(body, k))));
      }),
    );
    const list = this.std.at(call, () => comprehension.get());
    return this.std.at(call, () => join(this.context, new JArray([]), list));
  }

  /** One element of body_lines (lines 901–905): the lines of key `k`, each a `%` thunk forced by the final join. */
  private keyLines(body: Thunk, k: string): Value {
    const values = this.std.lazy(() =>
      this.std.at(at(901, 33, 40, `thunk <value_or_values> from <${ELEMENT}>`), () => index(body.get(), k)),
    );
    const line = (place: ReturnType<typeof unnamed>, read: ReturnType<typeof at>, value: Thunk) =>
      this.std.lazy(() => this.percent(place, "%s = %s", [Thunk.of(k), this.std.variable(read, value)]));
    if (isTypeTraced(this.std, "array", at(902, 12, 40, ELEMENT), at(902, 24, 39, within(1, ELEMENT)), values)) {
      const list = values.get();
      const items = list instanceof JArray ? list.elements : [];
      return new JArray(items.map((value) => line(unnamed(903, 12, 34), at(903, 28, 33, within(4, BODY_LINES)), value)));
    }
    return new JArray([line(unnamed(905, 12, 44), at(905, 28, 43, within(3, ELEMENT)), values)]);
  }
}
