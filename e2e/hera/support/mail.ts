import { z } from "zod";

const mail = z.object({
  id: z.string(),
  time: z.string(),
  subject: z.string(),
  text: z.string().optional().default(""),
  to: z.array(z.object({ address: z.string() })),
});
export type Mail = z.infer<typeof mail>;

/** Waits for the newest mail to `to` whose subject matches, delivered after `since`. */
export async function waitForMail(inboxApi: string, to: string, subject: RegExp, since: Date, timeoutMs = 30_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(inboxApi);
    if (response.ok) {
      const all = z.array(mail).parse(await response.json());
      const match = all
        .filter((m) => m.to.some((t) => t.address.toLowerCase() === to.toLowerCase()))
        .filter((m) => subject.test(m.subject) && Date.parse(m.time) >= since.getTime() - 1000)
        .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0];
      if (match) return match;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
}

/** The one-time code in a Kratos code mail (6 digits on a line of its own or in the link). */
export function codeIn(mailText: string): string {
  const code = /(?:^|\s)(\d{6})(?:\s|$)/m.exec(mailText)?.[1];
  if (!code) throw new Error(`no code in mail:\n${mailText}`);
  return code;
}
