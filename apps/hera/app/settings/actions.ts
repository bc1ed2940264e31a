"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { browserCookie } from "@/lib/server/cookies";
import { kratos } from "@/lib/server/ory";

const sessionId = z.string().uuid();

/** Signs out one of the person's other sessions (Kratos checks it is theirs). */
export async function revokeSession(form: FormData): Promise<void> {
  const id = sessionId.safeParse(form.get("session"));
  if (!id.success) return;
  await kratos().revokeMySession(id.data, await browserCookie());
  revalidatePath("/settings");
}

/** Signs out every session but this one. */
export async function revokeOtherSessions(): Promise<void> {
  await kratos().revokeMyOtherSessions(await browserCookie());
  revalidatePath("/settings");
}
