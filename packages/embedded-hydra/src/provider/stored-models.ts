import type { AdapterPayload } from "oidc-provider";

/**
 * What oidc-provider's `Model.find` does once the adapter has read a row:
 * the model's own `verify` (format, iat/exp with the clock tolerance) and
 * `instantiate`. Introspection reads its rows in one batched query and hands
 * them to these, so the library still decides what a valid token is.
 */
interface StoredModel {
  verify(stored: AdapterPayload): Promise<AdapterPayload>;
  instantiate(payload: AdapterPayload): unknown;
}

function isStoredModel(model: unknown): model is StoredModel {
  return (
    typeof model === "function" &&
    typeof Reflect.get(model, "verify") === "function" &&
    typeof Reflect.get(model, "instantiate") === "function"
  );
}

/** The model instance for a stored payload, or undefined when the model refuses it (as `find` answers). */
export async function instantiateStored<T>(model: abstract new (...args: never[]) => T, stored: AdapterPayload): Promise<T | undefined> {
  if (!isStoredModel(model)) throw new TypeError(`oidc-provider model ${model.name} lacks verify/instantiate`);
  try {
    return model.instantiate(await model.verify(stored)) as T;
  } catch {
    return undefined;
  }
}
