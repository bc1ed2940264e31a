/**
 * The two views of a mail during a mail-server outage: Kratos' courier queue
 * (admin API `/admin/courier/messages`) and what reached the mail catcher's inbox.
 */
import { z } from "zod";
import { adminAuthorization, adminUrl, type AdminApi } from "../ory/admin-api";

const courierMessage = z
  .object({ id: z.string(), status: z.string(), send_count: z.number(), recipient: z.string(), template_type: z.string() })
  .loose();
export type CourierMessage = z.infer<typeof courierMessage>;

/** Every courier message to `recipient`, newest first. */
export async function courierMessages(kratosAdmin: AdminApi, recipient: string): Promise<CourierMessage[]> {
  const response = await fetch(adminUrl(kratosAdmin, `/admin/courier/messages?recipient=${encodeURIComponent(recipient)}&page_size=100`), {
    headers: adminAuthorization(kratosAdmin),
  });
  if (response.status !== 200) throw new Error(`courier messages for ${recipient}: ${response.status} ${await response.text()}`);
  return z.array(courierMessage).parse(await response.json());
}

const caughtMail = z.object({ subject: z.string(), to: z.array(z.object({ address: z.string() })) }).loose();

/** How many mails the mail catcher holds per recipient. */
export async function inboxCounts(inboxApi: string): Promise<Map<string, number>> {
  const inbox = z.array(caughtMail).parse(await (await fetch(inboxApi)).json());
  const counts = new Map<string, number>();
  for (const mail of inbox) for (const to of mail.to) counts.set(to.address, (counts.get(to.address) ?? 0) + 1);
  return counts;
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 250): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
