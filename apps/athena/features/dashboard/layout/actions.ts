"use server";

import { z } from "zod";
import { adminAction } from "@/shared/server/action";
import { athenaConfig } from "@/shared/server/config";
import { olympusPool } from "@/shared/server/olympus-db";
import { resetLayout, saveLayout } from "./store";
import { layoutInput } from "./widgets";

/*
 * A layout is the employee's own view of figures they may already read, so
 * viewers may arrange theirs too; nobody can change another's (the row is
 * keyed by the signed-in subject, never by an input). Both are audited like
 * any write.
 */

export const saveDashboardLayout = adminAction(
  { action: "dashboard.layout.save", role: "viewer", input: z.object({ widgets: layoutInput }) },
  async (input, { admin }) => {
    await saveLayout(await olympusPool(), athenaConfig().domain, admin.id, input.widgets);
    return {
      data: null,
      target: admin.id,
      details: { order: input.widgets.map((w) => w.id), hidden: input.widgets.filter((w) => !w.visible).map((w) => w.id) },
      message: "Dashboard layout saved.",
    };
  },
);

export const resetDashboardLayout = adminAction(
  { action: "dashboard.layout.reset", role: "viewer", input: z.object({}).strict() },
  async (_input, { admin }) => {
    const had = await resetLayout(await olympusPool(), athenaConfig().domain, admin.id);
    return { data: null, target: admin.id, details: { had_layout: had }, message: "Dashboard layout reset to the default." };
  },
);
