import { z } from "zod";
import { ConfigError, type KratosConfig } from "../config/load";
import { parseDuration } from "../config/duration";
import type { Database, Queryable } from "../storage/database";
import type { ResilientOptions } from "@olympus/server-kit/http";
import { courierChannels, findChannel } from "./channels";
import { dispatchOverHttp } from "./http-channel";
import { CourierRepository, dispatchErrorJson, type CourierMessage } from "./repository";
import { createSmtpSender, type EmailSender } from "./smtp";
import { SmsTemplateRegistry } from "./sms-templates";
import { TemplateRegistry, type TemplateModel, type TemplateType } from "./templates";

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
}

/** An SMS: to a phone number, over the channel with id `sms` (courier/sms.go QueueSMS). */
export interface QueueSmsInput {
  templateType: TemplateType;
  /** The phone number (the template's PhoneNumber: its model's To). */
  recipient: string;
  model: TemplateModel;
  /** As QueueEmailInput's. */
  requestHeaders?: Record<string, string[]>;
}

export interface CourierOptions {
  /** Replaces the SMTP sender built from config (tests). */
  sender?: EmailSender;
  /** Replaces the HTTP channels' client options (tests). */
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
 * Kratos' courier: messages are rendered and queued in `courier_messages`
 * (inside the caller's transaction, next to the token they carry), and a
 * background worker sends them over SMTP. A failed attempt is recorded as a
 * dispatch, the message goes back to `queued` and is retried with
 * exponential back-off (doubling from `courier.worker.pull_wait`); after
 * `courier.message_retries` retries it is `abandoned`.
 */
export class Courier {
  readonly messages: CourierRepository;
  readonly templates: TemplateRegistry;
  readonly smsTemplates: SmsTemplateRegistry;
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
    this.templates = new TemplateRegistry(config);
    this.smsTemplates = new SmsTemplateRegistry(config);
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

  /** Renders and queues an email; pass the transaction that also stores the code/token it carries. */
  async queueEmail(q: Queryable, input: QueueEmailInput): Promise<string> {
    const rendered = this.templates.render(input.templateType, input.model);
    const id = await this.messages.insert(q, {
      type: "email",
      recipient: input.recipient,
      subject: rendered.subject,
      body: rendered.plaintext,
      templateType: input.templateType,
      templateData: input.model,
      channel: "email",
      requestHeaders: input.requestHeaders ?? {},
    });
    this.kick();
    return id;
  }

  /**
   * courier/sms.go QueueSMS: the SMS body rendered now, the message queued
   * as type `sms` (stored as `phone`) on channel `sms`, without a subject.
   */
  async queueSms(q: Queryable, input: QueueSmsInput): Promise<string> {
    const body = this.smsTemplates.render(input.templateType, input.model);
    const id = await this.messages.insert(q, {
      type: "phone",
      recipient: input.recipient,
      subject: "",
      body,
      templateType: input.templateType,
      templateData: input.model,
      channel: "sms",
      requestHeaders: input.requestHeaders ?? {},
    });
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
        smsTemplates: this.smsTemplates,
        log: this.log,
        ...(this.httpClient ? { client: this.httpClient } : {}),
      });
      return;
    }
    // SMTPChannel.Dispatch: without a host every attempt fails (and counts), as any other failed delivery.
    if (!sender) throw new Error("Courier tried to deliver an email but courier.smtp.connection_uri is not set!");
    const rendered = this.templates.render(message.templateType, message.templateData);
    await sender.send({ to: message.recipient, subject: message.subject, text: message.body, html: rendered.html });
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
