import { Configuration } from "@ory/client";
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { OryError, type OryService } from "./errors";

/** Upstream calls fail fast: a login page must not hang because Kratos does. */
export const ORY_TIMEOUT_MS = 5_000;

/**
 * An axios instance for the generated @ory/client APIs: JSON only, no
 * redirects followed (a 303 from Kratos is an answer, not something to chase
 * server-side), every status resolved so the wrappers can branch on it.
 */
export function createOryAxios(): AxiosInstance {
  return axios.create({
    timeout: ORY_TIMEOUT_MS,
    maxRedirects: 0,
    validateStatus: () => true,
    headers: { Accept: "application/json" },
    proxy: false,
  });
}

/**
 * The @ory/client configuration for one admin API. The token goes on every
 * request as a default header, not only as `accessToken`: @ory/client sends
 * that only on the operations Ory documents as protected, while an admin port
 * behind a token (the embedded servers started with one, a proxy in
 * production) guards every path.
 */
export function adminConfiguration(adminUrl: string, adminToken: string | undefined): Configuration {
  return new Configuration({
    basePath: adminUrl,
    accessToken: adminToken,
    ...(adminToken ? { baseOptions: { headers: { Authorization: `Bearer ${adminToken}` } } } : {}),
  });
}

/** Ory's error envelope: `{ error: { id, code, reason, ... } }`. */
export function upstreamErrorId(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error === "object" && error !== null && "id" in error && typeof error.id === "string") return error.id;
  // Hydra's OAuth2 errors are flat: `{ error: "invalid_request", error_description }`.
  if (typeof error === "string") return error;
  return undefined;
}

/** Runs one upstream call, turning transport failures into OryError("unavailable"). */
export async function call<T>(service: OryService, what: string, run: () => Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
  try {
    return await run();
  } catch (error) {
    const code = axios.isAxiosError(error) ? (error.code ?? "network error") : "error";
    throw new OryError(service, "unavailable", undefined, undefined, `${service} is unreachable (${what}: ${code})`);
  }
}

/** The error for a status the wrapper has no meaning for. */
export function unexpected(service: OryService, what: string, response: AxiosResponse<unknown>): OryError {
  const id = upstreamErrorId(response.data);
  return new OryError(
    service,
    "unexpected_response",
    response.status,
    id,
    `${service} answered ${response.status}${id ? ` (${id})` : ""} to ${what}`,
  );
}

/** Set-Cookie headers of a response, always as a list. */
export function setCookiesOf(response: AxiosResponse<unknown>): string[] {
  const raw: unknown = response.headers["set-cookie"];
  if (Array.isArray(raw)) return raw.filter((v): v is string => typeof v === "string");
  return typeof raw === "string" ? [raw] : [];
}
