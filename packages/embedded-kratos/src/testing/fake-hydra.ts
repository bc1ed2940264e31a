import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A login request as the fake Hydra serves it (the fields Kratos reads, plus what a real one carries). */
export interface FakeLoginRequest {
  challenge: string;
  skip: boolean;
  subject: string;
  request_url: string;
  client: { client_id: string };
  requested_scope: string[];
  requested_access_token_audience: string[];
}

export interface RecordedAccept {
  challenge: string;
  body: Record<string, unknown>;
  headers: IncomingMessage["headers"];
}

/**
 * A small real HTTP server speaking the two endpoints of Hydra's admin API
 * Kratos calls as a login provider (GET /admin/oauth2/auth/requests/login,
 * PUT …/login/accept), answering as Hydra does: 404 with an ErrorOAuth2 body
 * for unknown challenges, 410 with `redirect_to` once a request was handled.
 */
export class FakeHydra {
  readonly requests = new Map<string, FakeLoginRequest>();
  readonly handled = new Set<string>();
  readonly accepted: RecordedAccept[] = [];
  readonly getHeaders: IncomingMessage["headers"][] = [];

  private constructor(
    private readonly server: Server,
    readonly adminUrl: string,
  ) {}

  static async start(): Promise<FakeHydra> {
    const holder: { hydra?: FakeHydra } = {};
    const server = createServer((req, res) => {
      void holder.hydra?.handle(req).then(({ status, body }) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    holder.hydra = new FakeHydra(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return holder.hydra;
  }

  /** Registers a pending login request and returns its challenge. */
  addLoginRequest(init: Partial<FakeLoginRequest> = {}): string {
    const challenge = init.challenge ?? `challenge-${this.requests.size + 1}-${Date.now().toString(36)}`;
    this.requests.set(challenge, {
      challenge,
      skip: false,
      subject: "",
      request_url: "http://127.0.0.1:4444/oauth2/auth?client_id=app&response_type=code",
      client: { client_id: "app" },
      requested_scope: ["openid"],
      requested_access_token_audience: [],
      ...init,
    });
    return challenge;
  }

  redirectFor(challenge: string): string {
    return `http://127.0.0.1:4444/oauth2/auth?login_verifier=verifier-of-${challenge}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? "/", "http://fake-hydra");
    const challenge = url.searchParams.get("login_challenge") ?? "";
    const request = this.requests.get(challenge);
    const notFound = { status: 404, body: { error: "Not Found", error_description: "Unable to locate the resource", error_hint: "" } };
    if (req.method === "GET" && url.pathname === "/admin/oauth2/auth/requests/login") {
      this.getHeaders.push(req.headers);
      if (!request) return notFound;
      if (this.handled.has(challenge)) return { status: 410, body: { redirect_to: this.redirectFor(challenge) } };
      return { status: 200, body: request };
    }
    if (req.method === "PUT" && url.pathname === "/admin/oauth2/auth/requests/login/accept") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (!request) return notFound;
      if (this.handled.has(challenge))
        return {
          status: 409,
          body: { error: "request_was_handled", error_description: "The login request was already handled", error_hint: "" },
        };
      this.handled.add(challenge);
      this.accepted.push({
        challenge,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
        headers: req.headers,
      });
      return { status: 200, body: { redirect_to: this.redirectFor(challenge) } };
    }
    return notFound;
  }
}
