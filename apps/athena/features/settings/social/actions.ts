"use server";

import { z } from "zod";
import { SOCIAL_PROVIDER_ID_PATTERN, SOCIAL_PROVIDER_KEY_PREFIX, socialProviderKey } from "@olympus/athena-store/settings";
import { adminAction } from "@/shared/server/action";
import { AdminActionError } from "@/shared/server/action-result";
import { athenaConfig } from "@/shared/server/config";
import { changeDomainSettings, settingsStore } from "@/shared/server/olympus-db";
import { storedValues } from "../stored-values";
import { unboundSecretChanges } from "../secret-binding";
import { enabledEntry, providerChanges, providerFormSchema, providerKeys } from "./provider-input";

/** The ids of the providers stored for this domain, and which have a client secret. */
async function storedProviders(): Promise<Map<string, { hasSecret: boolean }>> {
  const providers = new Map<string, { hasSecret: boolean }>();
  for (const setting of await (await settingsStore()).list()) {
    if (!setting.key.startsWith(SOCIAL_PROVIDER_KEY_PREFIX)) continue;
    const rest = setting.key.slice(SOCIAL_PROVIDER_KEY_PREFIX.length);
    const id = rest.slice(0, rest.lastIndexOf("."));
    const entry = providers.get(id) ?? { hasSecret: false };
    if (setting.key === socialProviderKey(id, "client_secret")) entry.hasSecret = true;
    providers.set(id, entry);
  }
  return providers;
}

export const saveSocialProvider = adminAction(
  { action: "settings.social_provider.save", input: providerFormSchema, target: (p) => `social provider ${p.id}` },
  async (provider, { admin }) => {
    const existing = (await storedProviders()).get(provider.id);
    if (provider.mode === "create" && existing) {
      throw new AdminActionError(`A provider with the id ${provider.id} exists already.`, {
        id: `Provider id ${provider.id} is already used by another provider`,
      });
    }
    if (provider.mode === "edit" && !existing)
      throw new AdminActionError(`There is no provider ${provider.id} to edit (removed meanwhile?).`);
    if (provider.clientSecret === undefined && !existing?.hasSecret) {
      throw new AdminActionError("The client secret is missing.", { clientSecret: "Client secret must not be empty" });
    }
    const changes = providerChanges(provider);
    const unbound = unboundSecretChanges(changes.set, await storedValues(await settingsStore()));
    const unboundMessage = Object.values(unbound)[0];
    if (unboundMessage) {
      // Field names of the provider form; the message names the rule.
      const fields = Object.fromEntries(
        Object.keys(unbound).map((key) => [
          key.endsWith(".issuer") ? "issuer" : "clientId",
          `${unboundMessage[0]?.toUpperCase()}${unboundMessage.slice(1)}`,
        ]),
      );
      throw new AdminActionError("The client secret would go to a new destination; enter it again.", {
        ...fields,
        clientSecret: "Enter the client secret again",
      });
    }
    const { removed } = await changeDomainSettings(changes, admin.email ?? admin.id);
    return {
      data: null,
      // Which keys changed, never their values.
      details: {
        domain: athenaConfig().domain,
        provider: provider.id,
        created: provider.mode === "create",
        keys: changes.set.map((entry) => entry.key),
        secretChanged: provider.clientSecret !== undefined,
        removed,
      },
      message: provider.mode === "create" ? `Provider ${provider.label} added.` : `Provider ${provider.label} saved.`,
    };
  },
);

export const removeSocialProvider = adminAction(
  {
    action: "settings.social_provider.remove",
    input: z.object({ id: z.string().regex(SOCIAL_PROVIDER_ID_PATTERN, "Provider id is not valid") }),
    target: (i) => `social provider ${i.id}`,
  },
  async ({ id }, { admin }) => {
    const { removed } = await changeDomainSettings({ set: [], remove: providerKeys(id) }, admin.email ?? admin.id);
    if (removed.length === 0) throw new AdminActionError(`There is no provider ${id} (removed meanwhile?).`);
    return { data: null, details: { domain: athenaConfig().domain, provider: id, removed }, message: `Provider ${id} removed.` };
  },
);

export const setSocialSignInEnabled = adminAction(
  { action: "settings.social_enabled", input: z.object({ enabled: z.boolean() }), target: () => "social.enabled" },
  async ({ enabled }, { admin }) => {
    await changeDomainSettings({ set: [enabledEntry(enabled)], remove: [] }, admin.email ?? admin.id);
    return {
      data: null,
      details: { domain: athenaConfig().domain, enabled },
      message: enabled ? "Social sign-in turned on." : "Social sign-in turned off.",
    };
  },
);
