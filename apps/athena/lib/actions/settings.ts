"use server";

import { z } from "zod";
import { SETTING_KEY_PATTERN } from "@olympus/sdk/settings";
import { adminAction } from "@/lib/server/action";
import { settingsStore } from "@/lib/server/olympus-db";
import { athenaConfig } from "@/lib/server/config";

const settingKey = z.string().regex(SETTING_KEY_PATTERN, "lower-case letters, digits and . _ - (max 128)");

export const saveSettings = adminAction(
  {
    action: "settings.update",
    input: z.object({
      entries: z
        .array(z.object({ key: settingKey, value: z.string().max(16_384), secret: z.boolean() }))
        .min(1)
        .max(50),
    }),
    target: (i) => i.entries.map((e) => e.key).join(", "),
  },
  async ({ entries }, { admin }) => {
    const store = await settingsStore();
    await store.set(entries, admin.email ?? admin.id);
    // Which keys changed, never their values.
    return { data: null, details: { keys: entries.map((e) => e.key), secretKeys: entries.filter((e) => e.secret).map((e) => e.key), domain: athenaConfig().domain }, message: "Settings saved." };
  },
);

export const deleteSetting = adminAction({ action: "settings.delete", input: z.object({ key: settingKey }), target: (i) => i.key }, async ({ key }) => {
  const existed = await (await settingsStore()).delete(key);
  return { data: { existed }, message: existed ? "Setting removed." : "That setting was not set." };
});
