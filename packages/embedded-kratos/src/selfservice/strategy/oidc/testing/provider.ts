import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** A person signed in at the test provider: their subject and the claims it releases. */
export interface TestAccount {
  sub: string;
  claims: Record<string, unknown>;
  /** How they authenticated there: the ID token's `acr` and `amr`. */
  acr?: string;
  amr?: string[];
}

/**
 * A real OpenID Connect provider (oidc-provider) on a free port for the
 * social sign-in tests. Its login and consent screens are answered at once
 * for `account` (or refused with `denyWith`), as a person clicking through
 * would; everything else — discovery, authorization codes, PKCE, signed ID
 * tokens, userinfo — is oidc-provider's own.
 */
export class TestOidcProvider {
  account: TestAccount | undefined;
  /** Ends the next interaction with this OAuth error instead of signing in. */
  denyWith: { error: string; error_description: string } | undefined;
  /**
   * Answers the next token requests with these, one each, instead of
   * oidc-provider's answer (a provider failing mid-sign-in; x/oauth2 asks
   * twice when the first answer fails).
   */
  failTokenWith: { status: number; contentType: string; body: string }[] = [];
  /** How each token request carried the client's credentials: its Authorization header, and its form when it was answered with a failure. */
  readonly tokenRequests: { authorization: string | undefined; form: string | undefined }[] = [];
  readonly clientId = "kratos-test-client";
  readonly clientSecret = "kratos-test-client-secret-0123456789";
  /** A client registered for client_secret_post, whose credentials in a Basic header are refused (as a strict provider does). */
  readonly postClientId = "kratos-test-post-client";
  private provider: Provider | undefined;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  /** Listens at once (the issuer URL goes into Kratos' config); `configure` adds the client once Kratos' callback URL is known. */
  static async start(): Promise<TestOidcProvider> {
    // The server exists before the provider object that answers its requests.
    const holder: { test?: TestOidcProvider } = {};
    const server = createServer((req, res) => {
      const handler = holder.test?.handler;
      if (handler) handler(req, res);
      else res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const test = new TestOidcProvider(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    holder.test = test;
    return test;
  }

  private handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  configure(redirectUris: string[]): void {
    const accounts = () => this.account;
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: this.clientId,
          client_secret: this.clientSecret,
          redirect_uris: redirectUris,
          response_types: ["code"],
          grant_types: ["authorization_code", "refresh_token"],
          token_endpoint_auth_method: "client_secret_basic",
        },
        {
          client_id: this.postClientId,
          client_secret: this.clientSecret,
          redirect_uris: redirectUris,
          response_types: ["code"],
          grant_types: ["authorization_code", "refresh_token"],
          token_endpoint_auth_method: "client_secret_post",
        },
      ],
      findAccount: (_ctx, sub) => ({
        accountId: sub,
        claims: () => ({ sub, ...(accounts()?.sub === sub ? accounts()?.claims : {}) }),
      }),
      // acr and amr (released with openid) carry what `login` records about how the account authenticated.
      claims: {
        openid: ["sub", "acr", "amr"],
        email: ["email", "email_verified"],
        profile: ["name", "given_name", "family_name"],
      },
      acrValues: ["urn:example:mfa", "urn:example:pwd"],
      // Google-like: the ID token carries the scope's claims, not only userinfo.
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
      pkce: { required: () => false },
      cookies: { keys: ["test-provider-cookie-key"] },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    });
    this.provider = provider;
    const callback = provider.callback();
    this.handler = (req, res) => {
      if (req.method === "POST" && req.url?.startsWith("/token")) {
        this.tokenRequest(req, res, callback);
        return;
      }
      if (req.url?.startsWith("/interaction/")) {
        this.interact(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
        return;
      }
      void callback(req, res);
    };
  }

  /**
   * Records how the token request authenticates, then answers it with the
   * next failure (its form recorded too) or leaves it to oidc-provider,
   * which reads the body itself.
   */
  private tokenRequest(req: IncomingMessage, res: ServerResponse, callback: ReturnType<Provider["callback"]>): void {
    // oidc-provider takes either style from any client; a strict provider refuses the post client's Basic header.
    const basic = /^Basic (.*)$/.exec(req.headers.authorization ?? "")?.[1];
    const strictRefusal = basic && Buffer.from(basic, "base64").toString().startsWith(`${this.postClientId}:`);
    const failure = strictRefusal
      ? {
          status: 401,
          contentType: "application/json",
          body: JSON.stringify({ error: "invalid_client", error_description: "use client_secret_post" }),
        }
      : this.failTokenWith.shift();
    if (!failure) {
      this.tokenRequests.push({ authorization: req.headers.authorization, form: undefined });
      void callback(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      this.tokenRequests.push({ authorization: req.headers.authorization, form: Buffer.concat(chunks).toString("latin1") });
      res.writeHead(failure.status, { "Content-Type": failure.contentType }).end(failure.body);
    });
  }

  private async interact(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const provider = this.provider;
    if (!provider) throw new Error("provider not configured");
    const details = await provider.interactionDetails(req, res);
    if (this.denyWith) {
      const denial = this.denyWith;
      this.denyWith = undefined;
      await provider.interactionFinished(req, res, denial, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === "login") {
      if (!this.account) throw new Error("no test account set");
      const { sub, acr, amr } = this.account;
      await provider.interactionFinished(req, res, { login: { accountId: sub, acr, amr } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new provider.Grant({ accountId: details.session?.accountId ?? "", clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
