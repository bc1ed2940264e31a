import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseMessage, type ParsedMessage } from "./mime.ts";

/** An address as maildev's REST API shows it. */
export interface MailAddress {
  address: string;
  name?: string;
}

/**
 * A caught mail in the shape maildev's REST API answers (`GET /api/email`),
 * the subset the e2e suites and the resilience runs read (id, time, subject,
 * text, to) plus what the inbox page shows.
 */
export interface CaughtMail {
  id: string;
  time: string;
  read: boolean;
  subject: string;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  date?: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  size: number;
  sizeHuman: string;
  envelope: { from: MailAddress | undefined; to: MailAddress[] };
  attachments: { filename: string; contentType: string; size: number }[];
}

export interface Envelope {
  from: string | undefined;
  to: string[];
}

/** A mail id: 8 URL-safe characters, as maildev's are. */
const newId = () => randomBytes(6).toString("base64url");
const ID = /^[A-Za-z0-9_-]{8}$/;

function sizeHuman(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function toMail(id: string, parsed: ParsedMessage, raw: Buffer, received: Date, envelope: Envelope | undefined): CaughtMail {
  const headers: Record<string, string> = {};
  for (const [name, value] of parsed.headerLines) headers[name.toLowerCase()] ??= value;
  return {
    id,
    time: received.toISOString(),
    read: false,
    subject: parsed.subject,
    from: parsed.from,
    to: parsed.to,
    cc: parsed.cc,
    ...(parsed.date ? { date: parsed.date.toISOString() } : {}),
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(parsed.html !== undefined ? { html: parsed.html } : {}),
    headers,
    size: raw.length,
    sizeHuman: sizeHuman(raw.length),
    // After a restart only the headers are left to say who it was for.
    envelope: envelope
      ? { from: envelope.from ? { address: envelope.from } : undefined, to: envelope.to.map((address) => ({ address })) }
      : { from: parsed.from[0], to: parsed.to },
    attachments: parsed.attachments,
  };
}

/**
 * The caught mail: kept in memory (newest `maxEmails`) and as `<id>.eml`
 * files in the mail directory, so a restarted dev stack still shows what
 * arrived before.
 */
export class Inbox {
  private readonly mails: CaughtMail[] = [];
  private readonly directory: string;
  private readonly maxEmails: number;

  // Plain fields, not parameter properties: the catcher's JavaScript is this file with its types stripped (catcher-build.ts).
  private constructor(directory: string, maxEmails: number) {
    this.directory = directory;
    this.maxEmails = maxEmails;
  }

  /** Opens the directory and loads the mail already in it (oldest first, at most `maxEmails`). */
  static async open(directory: string, maxEmails: number): Promise<Inbox> {
    await mkdir(directory, { recursive: true });
    const inbox = new Inbox(directory, maxEmails);
    const files = (await readdir(directory)).filter((name) => name.endsWith(".eml") && ID.test(name.slice(0, -4)));
    const dated = await Promise.all(files.map(async (name) => ({ name, mtime: (await stat(path.join(directory, name))).mtime })));
    dated.sort((a, b) => a.mtime.getTime() - b.mtime.getTime());
    for (const { name } of dated.slice(0, Math.max(0, dated.length - maxEmails))) await rm(path.join(directory, name), { force: true });
    for (const { name, mtime } of dated.slice(-maxEmails)) {
      const raw = await readFile(path.join(directory, name));
      inbox.mails.push(toMail(name.slice(0, -4), parseMessage(raw), raw, mtime, undefined));
    }
    return inbox;
  }

  /** Stores one mail as received over SMTP. */
  async add(raw: Buffer, envelope: Envelope): Promise<CaughtMail> {
    const id = newId();
    const mail = toMail(id, parseMessage(raw), raw, new Date(), envelope);
    await writeFile(this.file(id), raw);
    this.mails.push(mail);
    while (this.mails.length > this.maxEmails) {
      const dropped = this.mails.shift();
      if (dropped) await rm(this.file(dropped.id), { force: true });
    }
    return mail;
  }

  /** Every mail, in arrival order. */
  all(): readonly CaughtMail[] {
    return this.mails;
  }

  get(id: string): CaughtMail | undefined {
    return this.mails.find((m) => m.id === id);
  }

  async source(id: string): Promise<Buffer | undefined> {
    if (!this.get(id)) return undefined;
    return readFile(this.file(id)).catch(() => undefined);
  }

  async delete(id: string): Promise<boolean> {
    const index = this.mails.findIndex((m) => m.id === id);
    if (index < 0) return false;
    this.mails.splice(index, 1);
    await rm(this.file(id), { force: true });
    return true;
  }

  async deleteAll(): Promise<void> {
    const ids = this.mails.map((m) => m.id);
    this.mails.length = 0;
    await Promise.all(ids.map((id) => rm(this.file(id), { force: true })));
  }

  private file(id: string): string {
    return path.join(this.directory, `${id}.eml`);
  }
}
