import { stringChars } from "./std-jsonnet-strings";
import { joinStrings, StdText, textFunctions } from "./std-jsonnet-text";
import { StdXml } from "./std-jsonnet-xml";
import { StdFunctions } from "./std-jsonnet-functions";
import { StdIni } from "./std-jsonnet-ini";
import { isTypeTraced, StdCode, stdSite, thunkFrom } from "./std-frames";
import { manifestYamlDoc } from "./std-manifest";
import { StdPython } from "./std-jsonnet-python";
import { modTraced } from "./std-mod";
import { replaceAll, tracedToString } from "./std-strings";
import { bool, type Definition, type StdContext } from "./std-support";
import { manifestToml } from "./std-toml";
import { JArray, quoteJson, Thunk, toStringValue, typeName, unexpectedType, type Value } from "./values";

/**
 * The escapeString* and manifest functions go-jsonnet v0.21 runs as std.jsonnet code (lines 918, 1025–1046,
 * 1300–1306), not builtins.go funcBuiltins: escapeStringPython, escapeStringBash, escapeStringDollars,
 * escapeStringXML, manifestToml and manifestYamlStream, with the `<std>` frames of that code (std-frames.ts) on a
 * failure inside. The builtins they call (escapeStringJson, strReplace, manifestTomlEx, manifestYamlDoc, join) are
 * the TypeScript ones. Checked against a go-jsonnet build in testdata/go-jsonnet-std-frames.json.
 */

const name = (depth: number) => thunkFrom("function <anonymous>", depth);
const site = (line: number, column: number, endColumn: number, depth = 0) => stdSite(line, column, endColumn, name(depth));

/** The local `str` escapeStringBash / Dollars / XML start with. */
const LOCAL_STR = "thunk <str> from <function <anonymous>>";

const XML_ESCAPES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" };

export class StdManifest {
  constructor(
    private readonly std: StdCode,
    private readonly context: StdContext,
  ) {}

  /** `local str = std.toString(str_);` at `line`: a thunk of the toString call, forced where `str` is first read. */
  private toStringLocal(line: number, strArg: Thunk): Thunk {
    const call = stdSite(line, 17, 35, LOCAL_STR);
    return this.std.lazy(() => {
      const value = this.std.argument(call, stdSite(line, 30, 34, `thunk from <${LOCAL_STR}>`), strArg);
      return this.std.at(call, () => tracedToString(this.context, value));
    });
  }

  /** std.escapeStringPython (line 1026): `std.escapeStringJson(str)`. */
  escapeStringPython(str: Thunk): Value {
    const call = site(1026, 5, 30);
    // Each of these bodies is one call (after a local, which waits): it drops a `tailstrict` caller's frame first.
    this.std.endsInCall();
    const value = this.std.argument(call, site(1026, 26, 29, 1), str);
    return this.std.at(call, () => quoteJson(tracedToString(this.context, value)));
  }

  /** std.escapeStringDollars (lines 1032–1034): `std.strReplace(str, '$', '$$')` of the local `str`. */
  escapeStringDollars(strArg: Thunk): Value {
    this.std.endsInCall();
    const str = this.toStringLocal(1033, strArg);
    const call = site(1034, 5, 35);
    const value = this.std.argument(call, site(1034, 20, 23, 1), str);
    return this.std.at(call, () => replaceAll(this.context, toStringValue(value), "$", "$$"));
  }

  /**
   * std.escapeStringBash (lines 1028–1030): `"'%s'" % std.strReplace(str, "'", …)`, the `%` being std.mod (its own
   * frame, entered from the operator's location-less place), whose right operand is a thunk of the strReplace call.
   */
  escapeStringBash(strArg: Thunk): Value {
    // The `%` is a call of std.mod.
    this.std.endsInCall();
    const str = this.toStringLocal(1029, strArg);
    const call = site(1030, 14, 49);
    const replaced = this.std.lazy(() => {
      const value = this.std.argument(call, site(1030, 29, 32, 1), str);
      return this.std.at(call, () => replaceAll(this.context, toStringValue(value), "'", `'"'"'`));
    });
    const operator = { message: "", loc: site(1030, 5, 49).loc };
    return this.std.at(operator, () => this.std.body(() => modTraced(this.std, Thunk.of("'%s'"), replaced)));
  }

  /**
   * std.escapeStringXML (lines 1044–1046): `std.join('', [std.get(xml_escapes, ch, ch) for ch in
   * std.stringChars(str)])`; the comprehension is the join's argument, its source a thunk of the stringChars call.
   */
  escapeStringXML(strArg: Thunk): Value {
    this.std.endsInCall();
    const str = this.toStringLocal(1045, strArg);
    const comprehension = this.std.lazy(() =>
      this.std.at({ message: "", loc: site(1046, 18, 79).loc }, () => {
        const source = this.std.lazy(() =>
          this.std.call(site(1046, 58, 78, 1), () => stringChars(this.std, this.std.variable(site(1046, 74, 77, 2), str))),
        );
        const chars = source.get();
        const elements = chars instanceof JArray ? chars.elements : [];
        // A thunk per character is built here: charged (and the deadline checked) before building them.
        this.context.charge(elements.length);
        return new JArray(
          elements.map(
            (ch) =>
              new Thunk(() => {
                // std.get(xml_escapes, ch, ch): the escape of a character that has one, else the character.
                const c = ch.get();
                return typeof c === "string" ? (XML_ESCAPES[c] ?? c) : c;
              }),
          ),
        );
      }),
    );
    const call = site(1046, 5, 80);
    const list = this.std.at(call, () => comprehension.get());
    return this.std.at(call, () => joinStrings(this.context, "", list instanceof JArray ? list.elements : []));
  }

  /** std.manifestToml (line 918): `std.manifestTomlEx(value, '  ')`. */
  manifestToml(value: Thunk): Value {
    const call = site(918, 25, 56);
    this.std.endsInCall();
    const v = this.std.argument(call, site(918, 44, 49, 1), value);
    return this.std.at(call, () => manifestToml(v, "  ", this.context.step));
  }

  /**
   * std.manifestYamlStream (lines 1300–1306): an array check, then `'---\n' + std.join('\n---\n',
   * [std.manifestYamlDoc(e, …) for e in value]) + if c_document_end then '\n...\n' else '\n'`; each document is
   * rendered when the join reads it.
   */
  manifestYamlStream(value: Thunk, indentArrays: Thunk, documentEnd: Thunk, quoteKeys: Thunk): Value {
    if (!isTypeTraced(this.std, "array", site(1301, 9, 27), site(1301, 21, 26, 1), value)) {
      return this.std.fail(site(1302, 7, 75), `manifestYamlStream only takes arrays, got ${typeName(value.get())}`);
    }
    const list = value.get();
    const docs = (list instanceof JArray ? list.elements : []).map((e) =>
      this.std.lazy(() => {
        const call = site(1305, 21, 79, 2);
        const [doc, indent, quote] = [
          this.std.argument(call, site(1305, 41, 42, 3), e),
          this.std.argument(call, site(1305, 44, 66, 3), indentArrays),
          this.std.argument(call, site(1305, 68, 78, 3), quoteKeys),
        ];
        return this.std.at(call, () => manifestYamlDoc(doc ?? null, bool(indent), bool(quote), this.context.step));
      }),
    );
    const body = this.std.at(stdSite(1304, 17, 8, name(0), 1306), () => joinStrings(this.context, "\n---\n", docs));
    const end = this.std.read(site(1306, 14, 28), documentEnd);
    // The `if`'s condition must be a boolean (go-jsonnet's evaluation of an `if`).
    if (typeof end !== "boolean") return this.std.at(site(1306, 11, 53), () => fail(end));
    return `---\n${body}${end ? "\n...\n" : "\n"}`;
  }
}

function fail(value: Value): never {
  throw unexpectedType(value, "boolean");
}

/** The definitions above, each body run in the frame of its call. */
export function manifestFunctions(std: StdCode, context: StdContext): Record<string, Definition> {
  const fns = new StdManifest(std, context);
  const python = new StdPython(std, context);
  const xml = new StdXml(std, context, new StdText(std, context));
  const ini = new StdIni(std, context, new StdFunctions(context));
  const given = (thunk: Thunk | undefined, fallback: Value = null) => thunk ?? Thunk.of(fallback);
  const define = (params: string[], required: number, body: (args: (Thunk | undefined)[]) => Value): Definition => ({
    params,
    required,
    lazyBody: (args, tailstrict) => std.closureCall(args, tailstrict, () => body(args)),
  });
  return {
    escapeStringPython: define(["str"], 1, ([s]) => fns.escapeStringPython(given(s))),
    escapeStringBash: define(["str_"], 1, ([s]) => fns.escapeStringBash(given(s))),
    escapeStringDollars: define(["str_"], 1, ([s]) => fns.escapeStringDollars(given(s))),
    escapeStringXML: define(["str_"], 1, ([s]) => fns.escapeStringXML(given(s))),
    manifestPython: define(["v"], 1, ([v]) => python.manifestPython(given(v))),
    manifestPythonVars: define(["conf"], 1, ([c]) => python.manifestPythonVars(given(c))),
    manifestIni: define(["ini"], 1, ([i]) => ini.manifestIni(given(i))),
    manifestXmlJsonml: define(["value"], 1, ([v]) => xml.manifestXmlJsonml(given(v))),
    manifestToml: define(["value"], 1, ([v]) => fns.manifestToml(given(v))),
    manifestYamlStream: define(["value", "indent_array_in_object", "c_document_end", "quote_keys"], 1, ([v, i, d, q]) =>
      fns.manifestYamlStream(given(v), given(i, false), given(d, true), given(q, true)),
    ),
  };
}

/** std.jsonnet's string and manifest functions of this file and std-jsonnet-text.ts, as std.ts installs them. */
export function stdJsonnetText(context: StdContext): Record<string, Definition> {
  const std = new StdCode(context.stack);
  return { ...textFunctions(std, context), ...manifestFunctions(std, context) };
}
