import { index, sliceValue } from "./operators";
import { isTypeTraced, type StdCode, stdSite, thunkFrom } from "./std-frames";
import { modTraced } from "./std-mod";
import { joinStrings, namesOf, objectFieldsTraced, type StdText } from "./std-jsonnet-text";
import type { StdContext } from "./std-support";
import { JArray, JObject, Thunk, typeName, type Value } from "./values";

/**
 * std.manifestXmlJsonml as go-jsonnet v0.21 runs it: std.jsonnet code (lines 1335–1351) whose local `aux(v)` builds
 * `std.deepJoin(['<', tag, attrs_str, '>', [aux(x) for x in children], '</', tag, '>'])` from the locals tag,
 * has_attrs, attrs, children and attrs_str, each a thunk forced when deepJoin reads it. A failure inside shows that
 * path of `<std>` frames; checked against a go-jsonnet build in testdata/go-jsonnet-std-text.json.
 */

const within = (depth: number, base: string) => thunkFrom(base, depth);
const METHOD = "function <anonymous>";
const AUX = "function <aux>";
const local = (name: string) => `thunk <${name}> from <function <aux>>`;
const at = (line: number, column: number, endColumn: number, name: string) => stdSite(line, column, endColumn, name);
/** A desugared `%` or comprehension: its own extent, no name. */
const unnamed = (line: number, column: number, endColumn: number) => ({ message: "", loc: stdSite(line, column, endColumn, "").loc });

export class StdXml {
  constructor(
    private readonly std: StdCode,
    private readonly context: StdContext,
    private readonly text: StdText,
  ) {}

  /** manifestXmlJsonml's body: an array check, then `aux(value)`. */
  manifestXmlJsonml(value: Thunk): Value {
    if (!isTypeTraced(this.std, "array", at(1336, 9, 27, METHOD), at(1336, 21, 26, within(1, METHOD)), value)) {
      return this.std.fail(at(1337, 7, 75, METHOD), `Expected a JSONML value (an array), got ${typeName(value.get())}`);
    }
    // `aux(value)` ends the body.
    return this.std.tailCall(at(1351, 7, 17, METHOD), () => this.aux(this.std.variable(at(1351, 11, 16, within(1, METHOD)), value)));
  }

  /** aux(v), lines 1339–1349: a string as is, an element `[tag, attrs?, children…]` as XML text. */
  private aux(v: Thunk): Value {
    if (isTypeTraced(this.std, "string", at(1340, 12, 27, AUX), at(1340, 25, 26, within(1, AUX)), v)) return v.get();
    const element = v.get();
    const tag = this.std.lazy(() => this.std.at(at(1343, 23, 27, local("tag")), () => index(element, 0)));
    const hasAttrs = this.std.lazy(() => {
      // `std.length(v) > 1 && std.isObject(v[1])`: v is an array here (tag, read first, indexed it).
      if (!(element instanceof JArray) || element.elements.length <= 1) return false;
      const second = element.elements[1] ?? Thunk.of(null);
      const name = local("has_attrs");
      return isTypeTraced(this.std, "object", at(1344, 50, 68, name), at(1344, 63, 67, within(1, name)), second);
    });
    const attrs = this.std.lazy(() => {
      const name = local("attrs");
      if (this.std.read(at(1345, 28, 37, name), hasAttrs) === true) return this.std.at(at(1345, 43, 47, name), () => index(element, 1));
      return JObject.fromEntries([]);
    });
    const children = this.std.lazy(() => {
      const has = this.std.read(at(1346, 31, 40, local("children")), hasAttrs) === true;
      return sliceValue(element, has ? 2 : 1, undefined, undefined);
    });
    const attrsStr = this.std.lazy(() => this.attributes(attrs));
    const childTexts = this.std.lazy(() => {
      const list = this.std.read(at(1349, 68, 76, within(2, AUX)), children);
      const call = (x: Thunk) =>
        this.std.lazy(() =>
          this.std.call(at(1349, 52, 58, within(3, AUX)), () => this.aux(this.std.variable(at(1349, 56, 57, within(4, AUX)), x))),
        );
      return new JArray((list instanceof JArray ? list.elements : []).map(call));
    });
    const item = (column: number, endColumn: number, thunk: Thunk) => this.std.variable(at(1349, column, endColumn, within(2, AUX)), thunk);
    const parts = this.std.lazy(
      () =>
        new JArray([
          Thunk.of("<"),
          item(30, 33, tag),
          item(35, 44, attrsStr),
          Thunk.of(">"),
          childTexts,
          Thunk.of("</"),
          item(85, 88, tag),
          Thunk.of(">"),
        ]),
    );
    return this.std.call(at(1349, 11, 95, AUX), () => this.text.deepJoin(parts));
  }

  /** attrs_str, line 1348: `std.join('', [' %s="%s"' % [k, attrs[k]] for k in std.objectFields(attrs)])`. */
  private attributes(attrs: Thunk): Value {
    const name = local("attrs_str");
    const call = at(1348, 13, 88, name);
    const comprehension = this.std.lazy(() =>
      this.std.at(unnamed(1348, 26, 87), () => {
        const names = this.std.lazy(
          () =>
            new JArray(
              objectFieldsTraced(this.std, at(1348, 63, 86, within(1, name)), at(1348, 80, 85, within(2, name)), attrs).map((k) =>
                Thunk.of(k),
              ),
            ),
        );
        const list = names.get();
        const object = attrs.get();
        const attribute = (k: string) =>
          this.std.lazy(() => {
            const value = this.std.lazy(() => this.std.at(at(1348, 44, 52, within(3, name)), () => index(object, k)));
            const values = Thunk.of(new JArray([Thunk.of(k), value]));
            return this.std.at(unnamed(1348, 27, 53), () => this.std.body(() => modTraced(this.std, Thunk.of(' %s="%s"'), values)));
          });
        return new JArray(namesOf(list).map(attribute));
      }),
    );
    const list = this.std.at(call, () => comprehension.get());
    return this.std.at(call, () => joinStrings(this.context, "", list instanceof JArray ? list.elements : []));
  }
}
