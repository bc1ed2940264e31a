import type { SettingsStore } from "@olympus/athena-store/settings";
import type { StoredValues } from "./secret-binding";

/** The domain's stored settings as the secret-binding check reads them: plain values, and which keys hold a secret. */
export async function storedValues(store: Pick<SettingsStore, "list">): Promise<StoredValues> {
  const plain = new Map<string, string>();
  const secrets = new Set<string>();
  for (const setting of await store.list()) {
    if (setting.secret) secrets.add(setting.key);
    else plain.set(setting.key, setting.value);
  }
  return { plain, secrets };
}
