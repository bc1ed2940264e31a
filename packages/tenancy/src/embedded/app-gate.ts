import type { ChildProcess } from "node:child_process";
import { request } from "node:http";
import { connect, createServer, type Server, type Socket } from "node:net";

/** Where an app of a tenant is: asleep (no process), waking, serving, going back to sleep, or down. */
export type AppPhase = "sleeping" | "starting" | "awake" | "stopping" | "crashed" | "failed";

export interface AppStatus {
  phase: AppPhase;
  /** The app's process while there is one. */
  pid?: number;
  /** Where the app's own server listens (127.0.0.1): what a status check asks, so that it does not count as a visit. */
  port: number;
  /** Why it crashed or could not start. */
  detail?: string;
  since: string;
}

export interface AppGateOptions {
  /** The port visitors (and Caddy) connect to; the gate holds it on 127.0.0.1. */
  publicPort: number;
  /** The port the app's server is started on, 127.0.0.1 only. */
  internalPort: number;
  /** Milliseconds without an open connection after which the app is stopped; 0: never (always on once started). */
  idleTimeoutMs: number;
  /** Starts the app's server on `internalPort`. */
  spawn: () => ChildProcess;
  /** How long a start may take before the waiting visitors get a 502 (default 60 s). */
  startTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this long (default 10 s). */
  stopGraceMs?: number;
  onChange?: (status: AppStatus) => void;
}

const LOOPBACK = "127.0.0.1";

/** What a visitor gets when the app cannot start: an answer, never a hang. */
const BAD_GATEWAY = Buffer.from(
  "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 38\r\nconnection: close\r\n\r\nThe application could not be started.\n",
);

/** Answers a waiting visitor with the 502 and closes the connection once it is written. */
function refuse(socket: Socket): void {
  if (socket.destroyed) return;
  socket.unpipe();
  socket.end(BAD_GATEWAY, () => socket.destroy());
}

/**
 * Idle app sleep (scale to zero) for one app of an embedded tenant. The gate listens on the app's public port
 * itself and starts the app's server on an internal loopback port at the first connection; the connection waits
 * (paused, its bytes buffered) and is then piped byte for byte, so no request is lost or refused while the app
 * starts, and every connection that arrives meanwhile waits for that same start. After `idleTimeoutMs` with no
 * open connection the app is stopped, and the next connection starts it again. Bytes pass unchanged: the gate
 * adds, removes and reads no header.
 */
export class AppGate {
  private readonly options: Required<Omit<AppGateOptions, "onChange">> & Pick<AppGateOptions, "onChange">;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private current: AppStatus;
  private child: ChildProcess | undefined;
  private waking: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: AppGateOptions) {
    this.options = { ...options, startTimeoutMs: options.startTimeoutMs ?? 60_000, stopGraceMs: options.stopGraceMs ?? 10_000 };
    this.current = { phase: "sleeping", port: options.internalPort, since: new Date().toISOString() };
    // Half-open both ways: a visitor's end of input is passed on, and the answer still comes back.
    this.server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.accept(socket));
  }

  get status(): AppStatus {
    return this.current;
  }

  /** Holds the public port (127.0.0.1). */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.publicPort, LOOPBACK, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
  }

  /** Starts the app unless it runs (one start for every caller meanwhile); rejects when it cannot start. */
  async wake(): Promise<void> {
    for (;;) {
      if (this.closed) throw new Error("the tenant is stopping");
      if (this.current.phase === "awake") return;
      if (this.stopping) {
        await this.stopping;
        continue;
      }
      this.waking ??= this.start().finally(() => {
        this.waking = undefined;
      });
      await this.waking;
      // Going to sleep requires no open connection, and a caller of wake() holds one (or is the supervisor).
      return;
    }
  }

  /** Stops listening and stops the app (the tenant stops). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await new Promise<void>((done) => this.server.close(() => done()));
    for (const socket of this.sockets) socket.destroy();
    await this.waking?.catch(() => undefined);
    await (this.stopping ?? this.stop());
  }

  private set(phase: AppPhase, extra: { pid?: number; detail?: string } = {}): void {
    this.current = { phase, port: this.options.internalPort, since: new Date().toISOString(), ...extra };
    this.options.onChange?.(this.current);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    clearTimeout(this.idleTimer);
    socket.on("error", () => socket.destroy());
    socket.once("close", () => {
      this.sockets.delete(socket);
      this.armIdleTimer();
    });
    this.wake().then(
      () => this.pipe(socket),
      () => refuse(socket),
    );
  }

  private pipe(socket: Socket): void {
    if (socket.destroyed) return;
    const upstream = connect({ host: LOOPBACK, port: this.options.internalPort, allowHalfOpen: true });
    let answered = false;
    upstream.once("data", () => {
      answered = true;
    });
    upstream.on("error", () => {
      // The app went away under this connection: a clean 502 if it had not answered yet, else just the close.
      if (!answered) refuse(socket);
      else socket.destroy();
    });
    socket.on("error", () => upstream.destroy());
    socket.once("close", () => upstream.destroy());
    socket.pipe(upstream);
    upstream.pipe(socket);
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.closed || this.options.idleTimeoutMs <= 0 || this.sockets.size > 0 || this.current.phase !== "awake") return;
    this.idleTimer = setTimeout(() => {
      if (this.sockets.size === 0 && this.current.phase === "awake") void this.stop();
    }, this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private async start(): Promise<void> {
    this.set("starting");
    const child = this.options.spawn();
    this.child = child;
    const exited = new Promise<string>((resolve) => {
      child.once("error", (error) => resolve(`could not be started: ${error.message}`));
      child.once("exit", (code, signal) => resolve(signal ? `exited on ${signal}` : `exited with code ${code ?? "?"}`));
    });
    void exited.then((why) => this.exited(child, why));
    const outcome = await Promise.race([
      this.untilAnswering(exited).then((answering) => (answering ? undefined : "the app stopped while starting")),
      exited.then((why) => `the app ${why} while starting`),
      new Promise<string>((resolve) =>
        setTimeout(
          () => resolve(`the app did not answer within ${this.options.startTimeoutMs / 1000} s`),
          this.options.startTimeoutMs,
        ).unref(),
      ),
    ]);
    if (outcome !== undefined) {
      this.child = undefined;
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      this.set("failed", { detail: outcome });
      throw new Error(outcome);
    }
    this.set("awake", { pid: child.pid });
    this.armIdleTimer();
  }

  /** Polls the app's liveness answer on its internal port until it answers 200 (true) or the process ends (false). */
  private async untilAnswering(ended: Promise<unknown>): Promise<boolean> {
    let over = false;
    void ended.then(() => {
      over = true;
    });
    while (!over) {
      if (await this.answers()) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = request({ host: LOOPBACK, port: this.options.internalPort, path: "/api/health", timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve(false));
      req.end();
    });
  }

  /** An exit nobody asked for, while the app served, is a crash: reported until the next start succeeds. */
  private exited(child: ChildProcess, why: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.current.phase === "awake") {
      clearTimeout(this.idleTimer);
      this.set("crashed", { detail: `the app ${why}` });
    }
  }

  private stop(): Promise<void> {
    const child = this.child;
    if (!child || this.current.phase !== "awake") return Promise.resolve();
    this.set("stopping", { pid: child.pid });
    this.child = undefined;
    this.stopping = new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), this.options.stopGraceMs);
      child.once("exit", () => {
        clearTimeout(timer);
        done();
      });
      if (child.exitCode !== null || child.signalCode !== null) done();
      else child.kill("SIGTERM");
    }).then(() => {
      this.stopping = undefined;
      this.set("sleeping");
    });
    return this.stopping;
  }
}
