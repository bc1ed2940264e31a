import { randomUUID } from "node:crypto";
import type { KratosConfig } from "../../config/load";
import { KratosError } from "../../http/errors";
import { evaluateJsonnet } from "../../jsonnet/index";
import type { Session } from "../session";
import { fetchSource, type Jwk, parseJwks } from "./jwks";
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

export class SessionTokenizer {
  /** jwksx.WithCacheEnabled + WithCacheTTL(time.Hour): a JWKS is read once an hour per URL. */
  private readonly jwks = new Map<string, { keys: Jwk[]; until: number }>();
  /** fetcher.WithCache(…, 60*time.Minute): remote (http/https) mappers are cached an hour. */
  private readonly mappers = new Map<string, { source: string; until: number }>();

  constructor(
    private readonly config: KratosConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The JWT for `session`; `sessionJson` is what whoami answers (the mapper's `session`). */
  async tokenize(templateName: string, session: Session, sessionJson: Record<string, unknown>): Promise<string> {
    // config.go TokenizeTemplate
    const templates = this.config.session.whoami.tokenizer.templates;
    const template = Object.hasOwn(templates, templateName) ? templates[templateName] : undefined;
    if (!template) throw new KratosError(400, { reason: `Unable to find tokenizer template "${templateName}".` });

    const [key] = await this.keys(template.jwks_url);
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

  private async keys(url: string): Promise<Jwk[]> {
    const cached = this.jwks.get(url);
    if (cached && cached.until > Date.now()) return cached.keys;
    // "HTTP(S) makes no sense here": Kratos reads the signing keys from files or inline only.
    const keys = parseJwks(await fetchSource(this.config, url, ["file", "base64"]));
    this.jwks.set(url, { keys, until: Date.now() + HOUR_MS });
    return keys;
  }

  private async mapper(url: string): Promise<string> {
    const remote = url.startsWith("http://") || url.startsWith("https://");
    const cached = remote ? this.mappers.get(url) : undefined;
    if (cached && cached.until > Date.now()) return cached.source;
    const source = await fetchSource(this.config, url, ["http", "https", "file", "base64"]);
    if (remote && source.length > 0) this.mappers.set(url, { source, until: Date.now() + HOUR_MS });
    return source;
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
