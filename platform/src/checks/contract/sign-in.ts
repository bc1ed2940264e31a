import { DOMAINS, envPrefix, loadConfig, SERVICE_PORTS, type Domain } from "@olympus/runtime-config/config";
import { loadAthenaConfig } from "@olympus/runtime-config/config/athena";
import type { Problem } from "../../problem";
import { interpolate } from "../../verify-config/env-file";
import { at, type YamlValue } from "../../yaml";
import { caddyDestination } from "./caddy-route";
import {
  collector,
  environmentOf,
  networksOf,
  oryConfig,
  serviceNames,
  serviceOf,
  strings,
  withoutTrailingSlash,
  type ComposeUnderTest,
} from "./model";

/** Where Hera serves Kratos' public API on its own origin (apps/hera/app/.ory/kratos). */
const HERA_KRATOS_PREFIX = "/.ory/kratos";

/**
 * Hera's pages send browsers to Kratos (Ory Elements' calls, form posts,
 * flow starts) at Hera's own PUBLIC_URL + /.ory/kratos, its same-origin
 * proxy. That must be an address browsers reach from outside Compose —
 * never a Compose service name — and the one Kratos itself announces
 * (serve.public.base_url, the base of every flow's form action, redirect and
 * mail link), routed to Hera: through Caddy in production, through Hera's
 * published port on *.localhost in development. Never straight to Kratos'
 * public port: that would skip the sign-in limits Hera applies there.
 */
export function checkBrowserKratosUrls(c: ComposeUnderTest, caddy: YamlValue | undefined): Problem[] {
  const { problems, add } = collector(c);
  for (const domain of DOMAINS) {
    const name = `${domain}-hera`;
    const hera = serviceOf(c, name);
    if (!hera) {
      add(`services.${name}`, "is missing");
      continue;
    }
    let publicUrl: string;
    try {
      publicUrl = loadConfig(environmentOf(c, hera)).publicUrl;
    } catch (error) {
      add(`services.${name}.environment`, `would not start Hera: ${(error as Error).message}`);
      continue;
    }
    const where = `services.${name}.environment`;
    const variable = `${envPrefix(domain)}PUBLIC_URL`;
    const browserUrl = `${publicUrl}${HERA_KRATOS_PREFIX}`;
    const url = new URL(browserUrl);
    if (serviceNames(c).includes(url.hostname)) {
      add(
        where,
        `sends browsers to Kratos at ${browserUrl}, a Compose service name no browser can resolve (nobody can sign in); ${variable} must be Hera's public URL`,
      );
      continue;
    }
    const baseUrl = at(oryConfig(c, domain, "kratos"), "serve.public.base_url");
    if (typeof baseUrl !== "string" || withoutTrailingSlash(baseUrl) !== browserUrl) {
      add(
        where,
        `sends browsers to Kratos at ${browserUrl}, but Kratos builds its flows' form actions on serve.public.base_url ${String(baseUrl)}; ${variable} + ${HERA_KRATOS_PREFIX} must be that URL`,
      );
      continue;
    }
    const reason = c.stage === "prod" ? caddyReason(caddy, url, domain) : publishedPortReason(c, url, domain);
    if (reason) add(where, `Kratos' browser URL ${browserUrl}: ${reason}`);
  }
  return problems;
}

/**
 * Production: Caddy must route Hera's host and /.ory/kratos to this domain's
 * Hera with the path kept (its proxy applies the sign-in limits); a route
 * straight to Kratos' public port would let every guess past those limits.
 */
function caddyReason(caddy: YamlValue | undefined, url: URL, domain: Domain): string | undefined {
  if (caddy === undefined) return "no Caddy configuration to check it against";
  const kratos = `${domain}-kratos:${SERVICE_PORTS[domain].kratosPublic}`;
  const hera = `${domain}-hera:${SERVICE_PORTS[domain].hera}`;
  const requestPath = `${url.pathname.replace(/\/$/, "")}/self-service/login/browser`;
  const destination = caddyDestination(caddy, url.hostname, requestPath);
  if (destination?.dial === kratos) {
    return `Caddy sends it straight to ${kratos}, past Hera's sign-in limits (brute-force, mail and registration limits run in Hera's proxy); route ${url.pathname} to ${hera}`;
  }
  if (destination?.dial === hera) {
    return destination.upstreamPath === requestPath
      ? undefined
      : `Caddy hands Hera the path ${destination.upstreamPath}; Hera serves Kratos under ${HERA_KRATOS_PREFIX}`;
  }
  return `Caddy sends it to ${destination?.dial ?? "no upstream"}, not ${hera}`;
}

/** Development: a *.localhost name (loopback in every browser) on the port <domain>-hera publishes. */
function publishedPortReason(c: ComposeUnderTest, url: URL, domain: Domain): string | undefined {
  if (url.hostname !== `${domain}.localhost`)
    return `browsers on the host reach Compose's published ports as ${domain}.localhost, not ${url.hostname}`;
  const [service, port] = [`${domain}-hera`, SERVICE_PORTS[domain].hera];
  const published = strings(serviceOf(c, service)?.ports).map((p) => p.split(":").slice(-2).join(":"));
  if (!published.includes(`${url.port}:${port}`)) return `port ${url.port} is not ${service}'s published port (${port}:${port})`;
  return undefined;
}

/**
 * Every Athena signs employees in through IAM Hydra at AUTH_ISSUER_URL, the
 * issuer in Hydra's tokens (urls.self.issuer), which browsers reach too.
 * Athena's server calls it as well (discovery, token, JWKS), from inside
 * Compose: there the issuer's host must be answered by a container on one
 * of Athena's networks — IAM Hydra itself (development: the `iam.localhost`
 * alias), or Caddy, which routes it to IAM Hydra (production) — and never
 * pinned elsewhere by extra_hosts.
 */
export function checkIssuerReachable(c: ComposeUnderTest, caddy: YamlValue | undefined): Problem[] {
  const { problems, add } = collector(c);
  const hydraPublicPort = SERVICE_PORTS.iam.hydraPublic;
  const hydraIssuer = at(oryConfig(c, "iam", "hydra"), "urls.self.issuer");
  for (const domain of DOMAINS) {
    const name = `${domain}-athena`;
    const athena = serviceOf(c, name);
    if (!athena) {
      add(`services.${name}`, "is missing");
      continue;
    }
    let issuer: string;
    try {
      issuer = loadAthenaConfig(environmentOf(c, athena)).auth.issuerUrl;
    } catch (error) {
      add(`services.${name}.environment`, `would not start Athena: ${(error as Error).message}`);
      continue;
    }
    if (typeof hydraIssuer !== "string" || withoutTrailingSlash(hydraIssuer) !== issuer) {
      add(
        `services.${name}.environment.AUTH_ISSUER_URL`,
        `${issuer} is not IAM Hydra's urls.self.issuer (${String(hydraIssuer)}); every token would fail the issuer check`,
      );
      continue;
    }
    const url = new URL(issuer);
    const host = url.hostname;
    const pinned = strings(athena.extra_hosts).find((entry) => entry.split(/[:=]/)[0] === host);
    if (pinned) {
      add(
        `services.${name}.extra_hosts`,
        `"${pinned}" pins ${host} past Compose's DNS (host-gateway is the Docker host, not IAM Hydra); give IAM Hydra or Caddy the alias instead`,
      );
      continue;
    }
    const answering = containersAnswering(c, networksOf(athena), host);
    const where = `services.${name}`;
    if (answering.length === 0) {
      add(
        where,
        `no container on Athena's networks answers to ${host}: its discovery, token and JWKS calls to ${issuer} would not reach IAM Hydra; give iam-hydra (development) or caddy (production) the alias ${host}`,
      );
    } else if (answering.length > 1) {
      add(where, `${host} is answered by ${answering.join(" and ")} on Athena's networks; exactly one may`);
    } else if (answering[0] === "iam-hydra") {
      if (Number(url.port || (url.protocol === "https:" ? 443 : 80)) !== hydraPublicPort)
        add(where, `${issuer} reaches iam-hydra on port ${url.port || "(default)"}, not its public port ${hydraPublicPort}`);
    } else if (answering[0] === "caddy") {
      for (const endpoint of ["/.well-known/openid-configuration", "/oauth2/token", "/.well-known/jwks.json"]) {
        const destination =
          caddy === undefined ? undefined : caddyDestination(caddy, host, `${url.pathname.replace(/\/$/, "")}${endpoint}`);
        if (destination?.dial !== `iam-hydra:${hydraPublicPort}`)
          add(
            where,
            `Caddy answers ${host} but sends ${endpoint} to ${destination?.dial ?? "no upstream"}, not iam-hydra:${hydraPublicPort}`,
          );
      }
    } else {
      add(where, `${host} is answered by ${answering[0] ?? "?"}, which is neither IAM Hydra nor Caddy`);
    }
  }
  return problems;
}

/** Services that answer to `host` (their name or an alias) on any of `networks`. */
function containersAnswering(c: ComposeUnderTest, networks: Map<string, string[]>, host: string): string[] {
  const found: string[] = [];
  for (const name of serviceNames(c)) {
    const service = serviceOf(c, name);
    if (!service) continue;
    for (const [network, aliases] of networksOf(service)) {
      if (!networks.has(network)) continue;
      if (name === host || aliases.some((alias) => interpolate(alias, c.env).toLowerCase() === host)) {
        found.push(name);
        break;
      }
    }
  }
  return found;
}
