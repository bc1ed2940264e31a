import type { z } from "zod";

/**
 * One Kratos or Hydra admin API as the bootstrap and the dev seeds call it:
 * plain fetch (no `server-only` SDK), so any Node process can, and nothing
 * but the documented admin endpoints, so it works the same against the real
 * binaries and the embedded servers.
 */
export interface AdminApi {
  /** Base URL of the admin port, e.g. http://iam-kratos:4101. */
  url: string;
  /** Sent as `Authorization: Bearer <token>` when the deployment protects its admin ports. */
  token?: string | undefined;
  /** How messages name it ("IAM Kratos admin API"); the URL when absent. */
  label?: string | undefined;
}

export type AdminApiErrorKind =
  /** No answer: connection refused, DNS, timeout. */
  | "unreachable"
  /** 401/403: the bearer token is missing or wrong. */
  | "unauthorized"
  /** An answer the caller has no meaning for (the message carries Ory's reason). */
  | "unexpected";

/** The one error type of the admin layer: what failed, against which API, in one line. */
export class AdminApiError extends Error {
  constructor(
    readonly kind: AdminApiErrorKind,
    readonly api: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

export type AdminMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface AdminResponse<T> {
  status: number;
  /** Parsed body of a 2xx answer with content; undefined otherwise. */
  body: T | undefined;
  /** The raw answer's `Link` header (Kratos and Hydra paginate with it). */
  link: string | null;
}

const TIMEOUT_MS = 15_000;

export function labelOf(api: AdminApi): string {
  return api.label ?? api.url;
}

/**
 * One admin call. `accept` lists the statuses the caller handles (404 = "not
 * there yet"); any other status becomes an AdminApiError naming the API, the
 * call and Ory's own reason. A 2xx body is parsed with `schema`, never cast.
 */
export async function adminRequest<T>(
  api: AdminApi,
  method: AdminMethod,
  path: string,
  schema: z.ZodType<T>,
  options: { body?: unknown; accept?: readonly number[] } = {},
): Promise<AdminResponse<T>> {
  const url = `${api.url.replace(/\/+$/, "")}${path}`;
  const what = `${method} ${path.split("?")[0]}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Accept: "application/json",
        ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(api.token ? { Authorization: `Bearer ${api.token}` } : {}),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new AdminApiError(
      "unreachable",
      labelOf(api),
      undefined,
      `${labelOf(api)} is unreachable at ${api.url} (${what}: ${causeOf(error)})`,
    );
  }
  const text = await response.text();
  const accepted = options.accept ?? [200, 201];
  if (!accepted.includes(response.status)) {
    if (response.status === 401 || response.status === 403) {
      throw new AdminApiError(
        "unauthorized",
        labelOf(api),
        response.status,
        `${labelOf(api)} refused ${what} (${response.status}): ${api.token ? "the admin API token is wrong" : "it requires an admin API token"}`,
      );
    }
    throw new AdminApiError(
      "unexpected",
      labelOf(api),
      response.status,
      `${labelOf(api)} answered ${response.status} to ${what}: ${reasonOf(text)}`,
    );
  }
  const link = response.headers.get("link");
  if (response.status >= 300 || text === "") return { status: response.status, body: undefined, link };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AdminApiError("unexpected", labelOf(api), response.status, `${labelOf(api)} answered ${what} with a body that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdminApiError(
      "unexpected",
      labelOf(api),
      response.status,
      `${labelOf(api)} answered ${what} with an unexpected body (${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid"})`,
    );
  }
  return { status: response.status, body: parsed.data, link };
}

/** Ory's reason: Kratos' `{error: {reason, message}}` or Hydra's `{error, error_description}`; else the start of the text. */
export function reasonOf(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === "object" && body !== null && "error" in body) {
      const error = (body as { error: unknown; error_description?: unknown }).error;
      if (typeof error === "object" && error !== null) {
        const { reason, message } = error as { reason?: unknown; message?: unknown };
        if (typeof reason === "string" && reason) return reason;
        if (typeof message === "string" && message) return message;
      }
      const description = (body as { error_description?: unknown }).error_description;
      if (typeof description === "string" && description) return description;
      if (typeof error === "string") return error;
    }
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || "(empty body)";
}

function causeOf(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`;
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === "string") return cause.code;
    if (cause && typeof cause.message === "string") return cause.message;
    return error.message;
  }
  return String(error);
}
