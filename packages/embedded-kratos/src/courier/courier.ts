import { z } from "zod";
import { ConfigError, type KratosConfig } from "../config/load";
import { parseDuration } from "../config/duration";
import type { Database, Queryable } from "../storage/database";
import type { ResilientOptions } from "@olympus/server-kit/http";
import { courierChannels, findChannel } from "./channels";
import { dispatchOverHttp } from "./http-channel";
import { CourierRepository, dispatchErrorJson, type CourierMessage } from "./repository";
import { createSmtpSender, type EmailSender } from "./smtp";
import { SmsTemplates } from "./sms-templates";
import { TemplateLoader } from "./template-loader";
import { EmailTemplates, type TemplateModel, type TemplateType } from "./templates";

export interface QueueEmailInput {
  templateType: TemplateType;
  recipient: string;
  model: TemplateModel;
  /**
   * The flow request's allow-listed headers, for the templates that carry
   * them (login, registration and recovery codes: courier.RequestHeadersCarrier);
   * stored as `{}` when left out, as Kratos stores it for the others.
   */
  requestHeaders?: Record<string, string[]>;
  /** The flow request's context: a client that disconnects cancels a template fetch (LoadText takes the request's ctx). */
  signal?: AbortSignal;
}

/** An SMS: to a phone number, over the channel with id `sms` (courier/sms.go QueueSMS). */
export interface QueueSmsInput {
  templateType: TemplateType;
  /** The phone number (the template's PhoneNumber: its model's To). */
  recipient: string;
  model: TemplateModel;
  /** As QueueEmailInput's. */
  requestHeaders?: Record<string, string[]>;
  /** As QueueEmailInput's. */
  signal?: AbortSignal;
}

/** A message whose templates are rendered, ready to be stored (Courier.enqueue). */
export type RenderedMessage = Omit<CourierMessage, "id" | "status" | "sendCount" | "createdAt" | "updatedAt">;

export interface CourierOptions {
  /** Replaces the SMTP sender built from config (tests). */
  sender?: EmailSender;
  /** Replaces the client options of the HTTP channels and of template fetches (tests). */
  httpClient?: ResilientOptions;
  log?: (line: string) => void;
}

const workerConfig = z
  .looseObject({
    pull_count: z.number().int().min(1).max(1000).default(10),
    pull_wait: z.string().default("1s"),
  })
  .prefault({});

/** A `processing` message older than this belongs to a worker that died mid-send. */
const STALE_PROCESSING_MS = 2 * 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Kratos' courier: messages are rendered (before any transaction) and queued
 * in `courier_messages` (inside the caller's transaction, next to the token
 * they carry), and a background worker sends them over SMTP. A failed
 * attempt is recorded as a dispatch, the message goes back to `queued` and
 * is retried with
 * exponential back-off (doubling from `courier.worker.pull_wait`); after
 * `courier.message_retries` retries it is `abandoned`.
 */
export class Courier {
  readonly messages: CourierRepository;
  readonly templates: EmailTemplates;
  readonly smsTemplates: SmsTemplates;
  private readonly httpClient: ResilientOptions | undefined;
  /** A sender given by the caller (tests); otherwise one is built from `courier.smtp` as it is at each pass. */
  private readonly fixedSender: EmailSender | undefined;
  private smtpSender: { settings: string; sender: EmailSender | undefined } | undefined;
  private readonly pullCount: number;
  private readonly pullWaitMs: number;
  private readonly maxRetries: number;
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly config: KratosConfig,
    db: Database,
    options: CourierOptions = {},
  ) {
    this.messages = new CourierRepository(db);
    // Templates are loaded per message, as Kratos does (courier/template/load_template.go); nothing is read here.
    const loader = new TemplateLoader(config, options.httpClient ? { client: options.httpClient } : {});
    this.templates = new EmailTemplates(config, loader);
    this.smsTemplates = new SmsTemplates(config, loader);
    this.httpClient = options.httpClient;
    this.fixedSender = options.sender;
    // Built now so a malformed connection URI still stops start-up.
    if (!this.fixedSender && config.courier.delivery_strategy === "smtp") this.currentSender();
    this.log = options.log ?? (() => {});
    const worker = workerConfig.safeParse(config.courier.worker ?? {});
    if (!worker.success)
      throw new ConfigError(`invalid Kratos config ${config.source}: courier.worker: ${worker.error.issues[0]?.message ?? "invalid"}`);
    const wait = parseDuration(worker.data.pull_wait);
    if (wait === undefined || wait <= 0)
      throw new ConfigError(
        `invalid Kratos config ${config.source}: courier.worker.pull_wait "${worker.data.pull_wait}" is not a positive duration`,
      );
    this.pullCount = worker.data.pull_count;
    this.pullWaitMs = wait;
    this.maxRetries = config.courier.message_retries;
  }

  /**
   * courier/smtp.go QueueEmail, its rendering half: the subject, then the
   * plaintext body, are loaded and rendered now (the HTML body only when the
   * message is sent); a template that cannot be loaded throws its KratosError
   * 500, which fails the flow. Call it before the transaction that stores the
   * message opens: a template may be fetched over http(s) for minutes
   * (retries), and Kratos' code and link senders hold no transaction while
   * they queue (selfservice/strategy/code/code_sender.go SendCode,
   * strategy/link/sender.go), so a slow template server must not pin a
   * pooled connection per request.
   */
  async renderEmail(input: QueueEmailInput): Promise<RenderedMessage> {
    const subject = await this.templates.subject(input.templateType, input.model, input.signal, input.requestHeaders);
    const body = await this.templates.plaintext(input.templateType, input.model, input.signal, input.requestHeaders);
    return {
      type: "email",
      recipient: input.recipient,
      subject,
      body,
      templateType: input.templateType,
      templateData: input.model,
      channel: "email",
      requestHeaders: input.requestHeaders ?? {},
    };
  }

  /**
   * courier/sms.go QueueSMS, its rendering half: the SMS body loaded and
   * rendered now (a load failure fails the flow, as for emails), for type
   * `sms` (stored as `phone`) on channel `sms`, without a subject. Before
   * the transaction, as renderEmail.
   */
  async renderSms(input: QueueSmsInput): Promise<RenderedMessage> {
    const body = await this.smsTemplates.body(input.templateType, input.model, input.signal, input.requestHeaders);
    return {
      type: "phone",
      recipient: input.recipient,
      subject: "",
      body,
      templateType: input.templateType,
      templateData: input.model,
      channel: "sms",
      requestHeaders: input.requestHeaders ?? {},
    };
  }

  /** Stores a rendered message as `queued`; pass the transaction that also stores the code/token it carries. */
  async enqueue(q: Queryable, message: RenderedMessage): Promise<string> {
    const id = await this.messages.insert(q, message);
    this.kick();
    return id;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.fixedSender?.close();
    this.smtpSender?.sender?.close();
    this.smtpSender = undefined;
  }

  /**
   * The sender for `courier.smtp` as the config holds it now: Kratos builds
   * its SMTP channel from the current config for every message
   * (courier/courier_dispatcher.go, channels), so a reloaded connection URI
   * applies to the next message. The transport is rebuilt only when the SMTP
   * settings changed, between passes, never during a send.
   */
  private currentSender(): EmailSender | undefined {
    if (this.fixedSender) return this.fixedSender;
    const settings = JSON.stringify(this.config.courier.smtp ?? null);
    if (this.smtpSender?.settings !== settings) {
      this.smtpSender?.sender?.close();
      this.smtpSender = { settings, sender: createSmtpSender(this.config) };
    }
    return this.smtpSender.sender;
  }

  /** Runs the worker soon (a message was just queued); the caller's transaction has usually committed by then. */
  private kick(): void {
    if (!this.stopped && !this.running) this.schedule(25);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.dispatchQueue()
        .then(() => undefined)
        .catch((error: unknown) => this.log(`courier: dispatching the queue failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.pullWaitMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** One pass over the due messages; returns how many were handled. Exposed for tests and one-shot sends. */
  async dispatchQueue(): Promise<number> {
    const hasSmtp = courierChannels(this.config).some((c) => c.type === "smtp");
    const sender = hasSmtp ? this.currentSender() : undefined;
    await this.messages.requeueStale(STALE_PROCESSING_MS);
    const due = await this.messages.claimDue(this.pullCount, this.pullWaitMs, MAX_BACKOFF_MS);
    for (const message of due) await this.dispatch(sender, message);
    return due.length;
  }

  /** courier_dispatcher.go DispatchMessage: the message's channel (by id, as configured now) sends it. */
  private async deliver(sender: EmailSender | undefined, message: CourierMessage): Promise<void> {
    const channel = findChannel(this.config, message.channel ?? "");
    if (channel.type === "http") {
      await dispatchOverHttp(channel.requestConfig, message, {
        config: this.config,
        templates: this.templates,
        log: this.log,
        ...(this.httpClient ? { client: this.httpClient } : {}),
      });
      return;
    }
    // SMTPChannel.Dispatch: without a host every attempt fails (and counts), as any other failed delivery.
    if (!sender) throw new Error("Courier tried to deliver an email but courier.smtp.connection_uri is not set!");
    // SMTPChannel.Dispatch: an HTML body that cannot be loaded is logged and the mail goes without it.
    let html: string | undefined;
    try {
      html = await this.templates.html(message.templateType, message.templateData);
    } catch (error) {
      this.log(`courier: unable to get email body from template for message ${message.id}: ${(error as Error).message}`);
    }
    await sender.send({ to: message.recipient, subject: message.subject, text: message.body, ...(html === undefined ? {} : { html }) });
  }

  private async dispatch(sender: EmailSender | undefined, message: CourierMessage): Promise<void> {
    const sendCount = await this.messages.incrementSendCount(message.id);
    try {
      await this.deliver(sender, message);
    } catch (error) {
      const abandon = sendCount > this.maxRetries;
      await this.messages.recordFailure(message.id, dispatchErrorJson(error), abandon);
      this.log(
        abandon
          ? `courier: message ${message.id} abandoned after ${sendCount} attempts: ${(error as Error).message}`
          : `courier: sending message ${message.id} failed (attempt ${sendCount}), will retry: ${(error as Error).message}`,
      );
      return;
    }
    await this.messages.recordSuccess(message.id);
  }
}
