import { randomUUID } from "node:crypto";
import { ORY_HTTP_CLIENT, privateIpPolicyOf, type ResilientOptions } from "@olympus/server-kit/http";
import type { KratosConfig } from "../../config/load";
import { KratosError } from "../../http/errors";
import { evaluateJsonnet } from "../../jsonnet/index";
import type { Session } from "../session";
import { FetchCache, JSONNET_CACHE_TTL_MS } from "../../fetcher/cache";
import { fetchText, FetcherError } from "../../fetcher/fetcher";
import { JwksFetcher } from "./jwks";
import { signingMethodKnown, signJwt } from "./sign";

/**
 * session/tokenizer.go TokenizeSession: `GET /sessions/whoami?tokenize_as=<template>`
 * turns the session into a JWT signed with the first key of the template's
 * JWKS. Claims: jti, iss (the public base URL), exp (now + ttl), sid, nbf,
 * iat and sub (the identity id, or its external id with
 * `subject_source: external_id`); a `claims_mapper_url` Jsonnet program
 * reads `std.extVar('session')` and `std.extVar('claims')` and its
 * `claims` object is merged over them, except `sub`, which is set again.
 */

const HOUR_MS = 60 * 60 * 1000;
/** NewTokenizer's ristretto cache for mapper programs: MaxCost 50 MB. */
const MAPPER_CACHE_BYTES = 50 << 20;

export class SessionTokenizer {
  /** The registry's JWKSFetcher. */
  private readonly jwks = new JwksFetcher();
  /** Tokenizer.cache: remote (http/https) mappers, kept 60 minutes (fetcher.WithCache). */
  private readonly mappers = new FetchCache(MAPPER_CACHE_BYTES);
  /** s.r.HTTPClient(ctx): the resilient client under `clients.http`, for the JWKS and the mapper. */
  private readonly client: ResilientOptions;

  constructor(
    private readonly config: KratosConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.client = { ...ORY_HTTP_CLIENT, ...privateIpPolicyOf(config) };
  }

  /** The JWT for `session`; `sessionJson` is what whoami answers (the mapper's `session`). */
  async tokenize(templateName: string, session: Session, sessionJson: Record<string, unknown>): Promise<string> {
    // config.go TokenizeTemplate
    const templates = this.config.session.whoami.tokenizer.templates;
    const template = Object.hasOwn(templates, templateName) ? templates[templateName] : undefined;
    if (!template) throw new KratosError(400, { reason: `Unable to find tokenizer template "${templateName}".` });

    // ResolveKey(…, WithCacheEnabled(), WithCacheTTL(time.Hour), WithHTTPClient(httpClient))
    const key = await this.jwks.resolveKey(template.jwks_url, {
      client: this.client,
      configSource: this.config.source,
      cacheTtlMs: HOUR_MS,
    });
    if (!key) throw new KratosError(400, { reason: "Could not find key a suitable key for tokenization in the JWKS url." });
    const alg = typeof key.alg === "string" ? key.alg : "";
    if (!signingMethodKnown(alg))
      throw new KratosError(400, { reason: `The JSON Web Key must include a valid "alg" parameter but "${alg}" was given.` });

    const nowMs = this.now().getTime();
    const unix = (ms: number) => Math.floor(ms / 1000);
    let claims: Record<string, unknown> = {
      jti: randomUUID(),
      iss: this.config.publicBaseUrl,
      exp: unix(nowMs + template.ttl),
      sid: session.id,
      nbf: unix(nowMs),
      iat: unix(nowMs),
    };
    setSubject(claims, session, template.subject_source);

    if (template.claims_mapper_url) {
      const source = await this.mapper(template.claims_mapper_url);
      let evaluated: unknown;
      try {
        evaluated = evaluateJsonnet(source, { extVars: { session: sessionJson, claims }, filename: template.claims_mapper_url });
      } catch {
        throw new KratosError(400, { reason: "Unable to execute tokenizer JsonNet." });
      }
      const mapped = isObject(evaluated) ? evaluated.claims : undefined;
      if (!isObject(mapped)) throw new KratosError(400, { reason: "Expected tokenizer JsonNet to return a claims object but it did not." });
      // json.Unmarshal into the existing MapClaims: the mapper's keys replace, the others stay.
      claims = { ...claims, ...mapped };
    }
    setSubject(claims, session, template.subject_source);
    return signJwt(alg, key, claims);
  }

  /** fetcher.NewFetcher(WithClient(httpClient), WithCache(s.cache, 60*time.Minute)).FetchContext; its error is returned as is (500). */
  private async mapper(url: string): Promise<string> {
    try {
      return await fetchText(url, {
        client: this.client,
        configSource: this.config.source,
        cache: { store: this.mappers, ttlMs: JSONNET_CACHE_TTL_MS },
      });
    } catch (error) {
      if (error instanceof FetcherError) throw new KratosError(500, { message: error.message });
      throw error;
    }
  }
}

/** tokenizer.go SetSubjectClaim */
function setSubject(claims: Record<string, unknown>, session: Session, subjectSource: "id" | "external_id"): void {
  if (subjectSource === "external_id") {
    const externalId = session.identity?.externalId;
    if (!externalId)
      throw new KratosError(400, {
        reason: "The session's identity does not have an external ID set, but it is required for the subject claim.",
      });
    claims.sub = externalId;
    return;
  }
  claims.sub = session.identityId;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
