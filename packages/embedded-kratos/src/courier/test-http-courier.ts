/** A template or Jsonnet body given inline in the config, as a `base64://` URL (Kratos' fetcher decodes it). */
export const base64Url = (text: string) => `base64://${Buffer.from(text).toString("base64")}`;

/** The HTTP channel's body template posting its whole template context (courier/http_channel.go httpDataModel) as JSON. */
export const WHOLE_CONTEXT_BODY = base64Url("function(ctx) ctx");

/**
 * `courier` config for the suites that watch what Kratos posts: e-mails go
 * over the HTTP channel to `mailUrl` with their whole template context, the
 * worker polls every 100ms; `more` adds or replaces keys (channels, templates).
 */
export function httpCourierPostingContext(mailUrl: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    delivery_strategy: "http",
    worker: { pull_wait: "100ms" },
    http: { request_config: { url: mailUrl, body: WHOLE_CONTEXT_BODY } },
    ...more,
  };
}
