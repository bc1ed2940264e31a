import type { SourceRange } from "./errors";
import type { CallStack } from "./stack";
import { plus, type JObject, type LayerField, type Value } from "./values";

/**
 * A `name+: body` field (go-jsonnet thunks.go plusSuperUnboundField.evaluate): a frame of its own, in which the place
 * is the body's extent named `+:`; the body is computed in a further frame pushed from there, then, if a layer below
 * has the field, that value is computed and added to it (builtinPlus), a failure of the addition reported at the `+:` place.
 */
export function plusSuperField(stack: CallStack, name: string, body: SourceRange, compute: LayerField["compute"]): LayerField["compute"] {
  const place = { loc: body, name: "+:" };
  return (self: JObject, layerIndex: number): Value =>
    stack.frame(() =>
      stack.at(place, () => {
        const right = stack.frame(() => compute(self, layerIndex));
        if (!self.hasField(name, layerIndex - 1)) return right;
        return plus(self.lookup(name, layerIndex - 1), right);
      }),
    );
}
