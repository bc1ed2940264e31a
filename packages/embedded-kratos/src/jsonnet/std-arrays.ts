import { RuntimeFailure } from "./errors";
import { sliceTraced } from "./slice";
import { StdCode } from "./std-frames";
import { arr, array, callWith, codePoints, fun, num, str, type Definitions, type StdContext } from "./std-support";
import { equals, JArray, JFunction, Thunk, typeName, type Value } from "./values";

/** std's array and set functions: go-jsonnet's builtins (builtins.go) and the ones std.jsonnet defines in Jsonnet. */

/** go-jsonnet's getInt: a whole number that fits 32 bits. */
export function int(value: Value | undefined): number {
  if (typeof value !== "number") throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected number`);
  if ((value | 0) !== value) throw new RuntimeFailure(`Expected an integer, but got ${value}`);
  return value;
}

/** foldl / foldr's elements: an array's element thunks, or a string's characters. */
function foldThunks(value: Value | undefined, fn: string): Thunk[] {
  if (typeof value === "string") return codePoints(value).map((c) => Thunk.of(c));
  if (value instanceof JArray) return value.elements;
  throw new RuntimeFailure(`${fn} second parameter should be string or array, got ${typeName(value ?? null)}`);
}

/** go-jsonnet's location-less node (ast.NodeBase{}), printed as an empty trace line. */
const UNPLACED = { message: "" };

/** builtinFilter: the array is checked first, and elements go to the function unforced; it must answer booleans. */
export function filterArray(context: StdContext, f: Value, a: Value): JArray {
  if (!(a instanceof JArray)) throw new RuntimeFailure(`Unexpected type ${typeName(a)}, expected array`);
  const fn = fun(f);
  return new JArray(
    a.elements.filter((element) => {
      const keep = context.call(fn, { positional: [element], named: new Map() });
      if (typeof keep !== "boolean") throw new RuntimeFailure(`Unexpected type ${typeName(keep)}, expected boolean`);
      return keep;
    }),
  );
}

export function arrayDefinitions(context: StdContext): Definitions {
  const std = new StdCode(context.stack);
  const call = (fn: JFunction, ...values: Value[]) => callWith(context, fn, ...values);
  // arr's values, each read as a step of the evaluation: a long array's elements may each be ready, running no step.
  const elementsOf = (value: Value | undefined): Value[] => {
    if (!(value instanceof JArray)) return arr(value);
    return value.elements.map((element) => {
      context.step();
      return element.get();
    });
  };
  const makeArray = (size: number, f: JFunction): JArray => {
    context.charge(size);
    // builtinMakeArray: each element is a thunk whose body (astMakeArrayElement) has no location, so forcing it pushes
    // a frame from where it is read and the call inside is pushed from an empty place (a `\t\t` trace line).
    const element = (i: number) => new Thunk(() => context.stack.frame(() => context.stack.at(UNPLACED, () => call(f, i))));
    return new JArray(
      Array.from({ length: size }, (_, i) => {
        context.step();
        return element(i);
      }),
    );
  };
  return {
    makeArray: {
      params: ["sz", "func"],
      body: ([sz, f]) => {
        // builtinMakeArray: the size, then the function; a negative size makes an empty array (Go's loop runs no step).
        const size = int(sz);
        const fn = fun(f);
        return makeArray(Math.max(0, size), fn);
      },
    },
    range: {
      params: ["from", "to"],
      body: ([from, to]) => {
        const first = int(from);
        const last = int(to);
        context.charge(last - first + 1);
        const values: Value[] = [];
        for (let i = first; i <= last; i++) {
          context.step();
          values.push(i);
        }
        return array(values);
      },
    },
    member: {
      params: ["arr", "x"],
      body: ([a, x]) => {
        if (typeof a === "string") return a.includes(str(x));
        if (a instanceof JArray)
          return a.elements.some((e) => {
            context.step();
            return equals(e.get(), x ?? null);
          });
        throw new RuntimeFailure("std.member first argument must be an array or a string");
      },
    },
    contains: { params: ["arr", "elem"], body: ([a, x]) => elementsOf(a).some((v) => equals(v, x ?? null)) },
    filter: {
      params: ["func", "arr"],
      // builtinFilter: the array is checked first, and elements go to the function unforced.
      body: ([f, a]) => filterArray(context, f ?? null, a ?? null),
    },
    flatMap: {
      params: ["func", "arr"],
      body: ([f, a]) => {
        const fn = fun(f);
        if (typeof a === "string")
          return codePoints(a)
            .map((c) => str(call(fn, c)))
            .join("");
        return array(elementsOf(a).flatMap((v) => arr(call(fn, v))));
      },
    },
    foldl: {
      params: ["func", "arr", "init"],
      // builtinFoldl: the function is checked first, and elements go to it unforced.
      body: ([f, a, init]) => {
        const fn = fun(f);
        return foldThunks(a, "foldl").reduce<Value>(
          (acc, v) => context.call(fn, { positional: [Thunk.of(acc), v], named: new Map() }),
          init ?? null,
        );
      },
    },
    foldr: {
      params: ["func", "arr", "init"],
      body: ([f, a, init]) => {
        const fn = fun(f);
        return foldThunks(a, "foldr").reduceRight<Value>(
          (acc, v) => context.call(fn, { positional: [v, Thunk.of(acc)], named: new Map() }),
          init ?? null,
        );
      },
    },
    join: {
      params: ["sep", "arr"],
      body: ([sep, items]) => {
        const values = elementsOf(items);
        if (typeof sep === "string") {
          const parts = values.filter((v) => v !== null).map((v) => str(v));
          context.charge(parts.reduce((total, part) => total + part.length, 0) + sep.length * Math.max(0, parts.length - 1));
          return parts.join(sep);
        }
        if (sep instanceof JArray) {
          const out: Thunk[] = [];
          values
            .filter((v) => v !== null)
            .forEach((v, i) => {
              if (!(v instanceof JArray)) throw new RuntimeFailure(`Unexpected type ${typeName(v)}, expected array`);
              // Element by element: a spread passes each as an argument, and a long array overflows JavaScript's stack.
              if (i > 0) for (const item of sep.elements) out.push(item);
              for (const item of v.elements) out.push(item);
            });
          return new JArray(out);
        }
        throw new RuntimeFailure(`join first parameter should be string or array, got ${typeName(sep ?? null)}`);
      },
    },
    reverse: { params: ["arr"], body: ([a]) => array(elementsOf(a).reverse()) },
    // std.jsonnet's slice (205–245), which the slice syntax calls too: slice.ts.
    slice: {
      params: ["indexable", "index", "end", "step"],
      required: 4,
      lazyBody: ([indexable, index, end, step], tailstrict) =>
        std.closureCall([indexable, index, end, step], tailstrict, () =>
          sliceTraced(std, context.charge, {
            indexable: indexable ?? Thunk.of(null),
            index: index ?? Thunk.of(null),
            end: end ?? Thunk.of(null),
            step: step ?? Thunk.of(null),
          }),
        ),
    },
    removeAt: {
      params: ["arr", "i"],
      body: ([a, i]) => {
        const values = elementsOf(a);
        const at = int(i);
        if (at < 0 || at >= values.length) throw new RuntimeFailure(`std.removeAt index ${at} out of bounds, length ${values.length}`);
        return array(values.filter((_, k) => k !== at));
      },
    },
    remove: {
      params: ["arr", "elem"],
      body: ([a, x]) => {
        const values = elementsOf(a);
        const at = values.findIndex((v) => equals(v, x ?? null));
        return at < 0 ? (a ?? null) : array(values.filter((_, k) => k !== at));
      },
    },
    sum: { params: ["arr"], body: ([a]) => elementsOf(a).reduce<number>((total, v) => total + num(v), 0) },
    avg: {
      params: ["arr"],
      body: ([a]) => {
        const values = elementsOf(a);
        if (!values.length) throw new RuntimeFailure("Cannot calculate average of an empty array.");
        return values.reduce<number>((total, v) => total + num(v), 0) / values.length;
      },
    },
  };
}
