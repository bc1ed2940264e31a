"use server";

import { z } from "zod";
import { SETTING_KEY_PATTERN, type SettingInput } from "@olympus/athena-store/settings";
import { adminAction } from "@/shared/server/action";
import { AdminActionError } from "@/shared/server/action-result";
import { settingsStore } from "@/shared/server/olympus-db";
import { athenaConfig } from "@/shared/server/config";
import { storedValues } from "./stored-values";
import { unboundSecretChanges } from "./secret-binding";
import { checkSetting, deploymentConflict, SETTING_GROUP_IDS, SETTING_GROUPS, type DeploymentFacts } from "./catalog";

const settingKey = z.string().regex(SETTING_KEY_PATTERN, "lower-case letters, digits and . _ - (max 128)");
const settingValue = z.string().max(16_384);

/** Which keys changed, never their values. */
function changeDetails(entries: readonly SettingInput[]) {
  return { keys: entries.map((e) => e.key), secretKeys: entries.filter((e) => e.secret).map((e) => e.key), domain: athenaConfig().domain };
}

function deployment(): DeploymentFacts {
  const config = athenaConfig();
  return { domain: config.domain, athenaRequiresSecondFactor: config.auth.mfaRequired };
}

/** Entries as stored: known keys checked against their rule and sealed when the catalogue says secret. */
const checkedEntries = z
  .array(z.object({ key: settingKey, value: settingValue, secret: z.boolean() }))
  .min(1)
  .max(50)
  .transform((entries, context) =>
    entries.map((entry, index): SettingInput => {
      const checked = checkSetting(entry.key, entry.value, entry.secret);
      const conflict = checked.ok ? deploymentConflict(entry.key, checked.value, deployment()) : undefined;
      if (checked.ok && !conflict) return { key: entry.key, value: checked.value, secret: checked.secret };
      context.addIssue({ code: "custom", path: [index, "value"], message: `${entry.key}: ${checked.ok ? conflict : checked.rule}` });
      return entry;
    }),
  );

export const saveSettings = adminAction(
  {
    action: "settings.update",
    input: z.object({ entries: checkedEntries }),
    target: (i) => i.entries.map((e) => e.key).join(", "),
  },
  async ({ entries }, { admin }) => {
    const store = await settingsStore();
    const unbound = unboundSecretChanges(entries, await storedValues(store));
    if (Object.keys(unbound).length > 0) {
      const fields = Object.fromEntries(
        entries.flatMap((entry, index) => (unbound[entry.key] ? [[`entries.${index}.value`, `${entry.key}: ${unbound[entry.key]}`]] : [])),
      );
      throw new AdminActionError("A stored secret would go to a new destination; enter it again in the same save.", fields);
    }
    await store.set(entries, admin.email ?? admin.id);
    return { data: null, details: changeDetails(entries), message: "Settings saved." };
  },
);

/**
 * One typed group (SMTP, M2M policy) saved from its own form, in one
 * transaction. A blank field leaves the stored value as it is, which is how a
 * sealed secret is kept without being shown again.
 */
const groupInput = z
  .object({ group: z.enum(SETTING_GROUP_IDS), values: z.record(settingKey, settingValue) })
  .transform(({ group, values }, context) => {
    const definitions = SETTING_GROUPS[group].settings;
    for (const key of Object.keys(values)) {
      if (!definitions.some((d) => d.key === key))
        context.addIssue({ code: "custom", path: ["values", key], message: `not a ${group} setting` });
    }
    const entries: SettingInput[] = [];
    for (const definition of definitions) {
      const text = values[definition.key] ?? "";
      if (!text.trim()) continue;
      const checked = checkSetting(definition.key, text, definition.secret);
      const conflict = checked.ok ? deploymentConflict(definition.key, checked.value, deployment()) : undefined;
      if (checked.ok && !conflict) entries.push({ key: definition.key, value: checked.value, secret: checked.secret });
      else context.addIssue({ code: "custom", path: ["values", definition.key], message: checked.ok ? (conflict ?? "") : checked.rule });
    }
    if (entries.length === 0) context.addIssue({ code: "custom", path: ["values"], message: "fill in at least one value" });
    return { group, entries };
  });

export const saveSettingGroup = adminAction(
  { action: "settings.update", input: groupInput, target: (i) => i.entries.map((e) => e.key).join(", ") },
  async ({ group, entries }, { admin }) => {
    const store = await settingsStore();
    const unbound = unboundSecretChanges(entries, await storedValues(store));
    if (Object.keys(unbound).length > 0) {
      const fields = Object.fromEntries(Object.entries(unbound).map(([key, message]) => [`values.${key}`, message]));
      throw new AdminActionError("A stored secret would go to a new destination; enter it again in the same save.", fields);
    }
    await store.set(entries, admin.email ?? admin.id);
    return { data: null, details: { ...changeDetails(entries), group }, message: `${SETTING_GROUPS[group].title} saved.` };
  },
);

export const deleteSetting = adminAction(
  { action: "settings.delete", input: z.object({ key: settingKey }), target: (i) => i.key },
  async ({ key }) => {
    const existed = await (await settingsStore()).delete(key);
    return { data: { existed }, message: existed ? "Setting removed." : "That setting was not set." };
  },
);
