import { isTypeTraced, stdSite, thunkFrom, type StdCode } from "./std-frames";
import { fieldName, objectOf } from "./std-jsonnet-objects";
import type { NamedPlace } from "./stack";
import { JArray, JObject, Thunk, equals, type LayerField, type Value } from "./values";

/**
 * std.mergePatch (RFC 7396) as go-jsonnet v0.21 runs it: std.jsonnet code (lines 1531–1553, not a builtins.go
 * funcBuiltin) whose calls, locals, comprehensions and `tailstrict` recursion leave go-jsonnet's `<std>` frames
 * (std-frames.ts); checked against a go-jsonnet build in testdata/go-jsonnet-std-objects.json.
 */

/** The std.jsonnet functions mergePatch calls, as reproduced in std-jsonnet-functions.ts and std-jsonnet-set-ops.ts. */
export interface MergePatchHelpers {
  objectFields: (o: Thunk, hidden: boolean) => Value;
  objectHas: (o: Thunk, f: Thunk, hidden: boolean) => Value;
  setUnion: (a: Thunk, b: Thunk) => Value;
  setDiff: (a: Thunk, b: Thunk) => Value;
}

const BODY = "function <anonymous>";
const FIELD = "object <anonymous>";
/** The frame name of code `depth` thunks inside `outer` (go-jsonnet's addContext). */
/** The name of code in the thunk of mergePatch's local `name`. */
const local = (name: string) => `thunk <${name}> from <${BODY}>`;
const at = (line: number, column: number, endColumn: number, name: string) => stdSite(line, column, endColumn, name);

/** The object comprehension `{ [k]: … for k in std.setDiff(both_fields, null_fields) }` (lines 1542–1551). */
const MERGED = stdSite(1542, 7, 8, "", 1551);

export class StdMergePatch {
  constructor(
    private readonly std: StdCode,
    private readonly helpers: MergePatchHelpers,
  ) {}

  /** mergePatch's body, run in its call's frame. */
  mergePatch(target: Thunk, patch: Thunk): Value {
    const { std, helpers } = this;
    if (!isTypeTraced(std, "object", at(1532, 8, 27, BODY), at(1532, 21, 26, thunkFrom(BODY, 1)), patch)) return patch.get();
    const patchObject = objectOf(patch.get());

    // local target_object = if std.isObject(target) then target else {};
    const targetObject = std.lazy(() => {
      const name = local("target_object");
      const isObject = isTypeTraced(std, "object", at(1534, 12, 32, name), at(1534, 25, 31, thunkFrom(name, 1)), target);
      return isObject ? std.read(at(1534, 38, 44, name), target) : JObject.fromEntries([]);
    });

    // local target_fields = if std.isObject(target_object) then std.objectFields(target_object) else [];
    const targetFields = std.lazy(() => {
      const name = local("target_fields");
      if (!isTypeTraced(std, "object", at(1537, 12, 39, name), at(1537, 25, 38, thunkFrom(name, 1)), targetObject)) return new JArray([]);
      return std.call(at(1537, 45, 76, name), () =>
        helpers.objectFields(std.variable(at(1537, 62, 75, thunkFrom(name, 1)), targetObject), false),
      );
    });

    // local null_fields = [k for k in std.objectFields(patch) if patch[k] == null];
    const nullFields = std.lazy(() => {
      const name = local("null_fields");
      return std.comprehension(
        at(1539, 27, 83, "").loc,
        () =>
          std.call(at(1539, 39, 62, name), () => helpers.objectFields(std.variable(at(1539, 56, 61, thunkFrom(name, 1)), patch), false)),
        (k) => {
          const field = fieldName(k);
          const value = std.at(at(1539, 66, 74, name), () => patchObject.get(field));
          return std.at(at(1539, 66, 82, name), () => equals(value, null)) ? [Thunk.of(field)] : [];
        },
      );
    });

    // local both_fields = std.setUnion(target_fields, std.objectFields(patch));
    const bothFields = std.lazy(() => {
      const name = local("both_fields");
      const patchFields = std.lazy(() =>
        std.call(at(1540, 55, 78, thunkFrom(name, 1)), () =>
          helpers.objectFields(std.variable(at(1540, 72, 77, thunkFrom(name, 2)), patch), false),
        ),
      );
      return std.call(at(1540, 27, 79, name), () =>
        helpers.setUnion(std.variable(at(1540, 40, 53, thunkFrom(name, 1)), targetFields), patchFields),
      );
    });

    // `$objectFlatMerge` of the comprehension's one-field objects ends the body: it drops the frame of a tailstrict call.
    const parts = std.tailCall(MERGED, () =>
      std.comprehension(
        MERGED.loc,
        () =>
          std.call(at(1550, 18, 55, BODY), () =>
            helpers.setDiff(
              std.variable(at(1550, 30, 41, thunkFrom(BODY, 1)), bothFields),
              std.variable(at(1550, 43, 54, thunkFrom(BODY, 1)), nullFields),
            ),
          ),
        (k) => [k],
      ),
    );
    const fields = new Map<string, LayerField>();
    for (const k of parts.elements) {
      const field = fieldName(k);
      // An object field is computed in a frame of its own, pushed from where it is read.
      fields.set(field, {
        visibility: "inherit",
        plus: false,
        compute: () => std.body(() => this.field(field, patchObject, patch, targetObject)),
      });
    }
    return new JObject([{ fields }]);
  }

  /**
   * The value of field `k` (lines 1544–1549): the target's when the patch lacks it, else mergePatch of the target's (or
   * null) and the patch's, called `tailstrict`.
   */
  private field(k: string, patchObject: JObject, patch: Thunk, targetObject: Thunk): Value {
    const { std, helpers } = this;
    const key = Thunk.of(k);
    const has = (line: number, column: number, endColumn: number, objectColumn: number, objectEnd: number, o: Thunk) =>
      std.call(at(line, column, endColumn, FIELD), () =>
        helpers.objectHas(std.variable(at(line, objectColumn, objectEnd, thunkFrom(FIELD, 1)), o), key, false),
      ) === true;
    if (!has(1544, 15, 38, 29, 34, patch)) return std.at(at(1545, 13, 29, FIELD), () => objectOf(targetObject.get()).get(k));
    const patchValue = (column: number) =>
      std.lazy(() => std.at(at(1547, column, column + 8, thunkFrom(FIELD, 1)), () => patchObject.get(k)));
    if (!has(1546, 20, 51, 34, 47, targetObject)) return this.recurse(at(1547, 13, 43, FIELD), Thunk.of(null), patchValue(34));
    const targetValue = std.lazy(() => std.at(at(1549, 28, 44, thunkFrom(FIELD, 1)), () => objectOf(targetObject.get()).get(k)));
    const laterPatchValue = std.lazy(() => std.at(at(1549, 46, 54, thunkFrom(FIELD, 1)), () => patchObject.get(k)));
    return this.recurse(at(1549, 13, 55, FIELD), targetValue, laterPatchValue);
  }

  /**
   * `std.mergePatch(…) tailstrict` at `call`: the arguments are forced first (thunks.go closure.evalCall; go-jsonnet
   * goes through them in map order, which only shows when both fail), then the body runs in a trimmable frame.
   */
  private recurse(call: NamedPlace, target: Thunk, patch: Thunk): Value {
    return this.std.at(call, () => this.std.closureCall([target, patch], true, () => this.mergePatch(target, patch)));
  }
}
