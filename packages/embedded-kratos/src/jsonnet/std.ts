import { RuntimeFailure } from "./errors";
import { arrayDefinitions } from "./std-arrays";
import { encodingDefinitions } from "./std-encoding";
import { manifestDefinitions } from "./std-manifest";
import { filterArray } from "./std-arrays";
import { stdJsonnetFunctions } from "./std-jsonnet-functions";
import { stdJsonnetText } from "./std-jsonnet-manifest";
import { stdJsonnetDefinitions } from "./std-mod";
import { mathDefinitions, PI } from "./std-math";
import { objectDefinitions } from "./std-objects";
import { setDefinitions } from "./std-sets";
import { stringDefinitions } from "./std-strings";
import type { Definitions, StdContext } from "./std-support";
import { JFunction, JObject, type LayerField } from "./values";

export type { StdContext } from "./std-support";

/**
 * Jsonnet's standard library as go-jsonnet v0.21 provides it: the Go builtins (builtins.go funcBuiltins) and the
 * functions stdlib/std.jsonnet defines, each reproduced in TypeScript in the std-*.ts modules. Every field is hidden,
 * as go-jsonnet's `std` is.
 */
export function createStd(context: StdContext): JObject {
  const defs: Definitions = {
    ...objectDefinitions(context),
    ...stringDefinitions(context),
    ...arrayDefinitions(context),
    ...setDefinitions(context),
    ...mathDefinitions(),
    ...encodingDefinitions(context),
    ...manifestDefinitions(context),
    ...stdJsonnetDefinitions(context),
    ...stdJsonnetFunctions(context, (f, a) => filterArray(context, f, a)),
    ...stdJsonnetText(context),
  };
  const fields = new Map<string, LayerField>();
  for (const [name, def] of Object.entries(defs)) {
    const signature = def.params.map((p, i) => ({
      name: p,
      hasDefault:
        (def.defaults !== undefined && Object.hasOwn(def.defaults, p)) || (def.lazyBody !== undefined && i >= (def.required ?? 0)),
    }));
    const fn = new JFunction(
      signature,
      (args) => {
        const given = context.matchArguments(signature, args);
        signature.forEach((param, i) => {
          if (!param.hasDefault && !given[i]) throw new RuntimeFailure(`Missing argument: ${param.name}`);
        });
        if (def.lazyBody) return def.lazyBody(given, args.tailstrict === true);
        const body = def.body;
        if (!body) throw new RuntimeFailure(`std.${name} has no body`);
        const values = def.params.map((param, i) => {
          const thunk = given[i];
          if (thunk) return thunk.get();
          return def.defaults?.[param] ?? null;
        });
        return body(values);
      },
      `std.${name}`,
    );
    fields.set(name, { visibility: "hidden", plus: false, compute: () => fn });
  }
  fields.set("thisFile", { visibility: "hidden", plus: false, compute: () => context.filename });
  fields.set("pi", { visibility: "hidden", plus: false, compute: () => PI });
  return new JObject([{ fields }]);
}
