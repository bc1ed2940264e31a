import { DOMAIN_PORT_RANGE, domainOfHost, domainOfPort, otherDomain, type Domain } from "@olympus/runtime-config/config";

/**
 * Why `value` (a URL or host:port) would point a `domain` service at the
 * other domain, or undefined when it does not. Ports outside 3000-4999
 * (Postgres, the mail catcher, 80/443) belong to neither side.
 */
export function crossDomainReason(value: string, domain: Domain): string | undefined {
  const target = parseTarget(value);
  if (!target) return undefined;
  const other = otherDomain(domain);
  if (target.port !== undefined && domainOfPort(target.port) === other) {
    const range = DOMAIN_PORT_RANGE[other];
    return `"${value}" uses port ${target.port}, in the ${other} range ${range.min}-${range.max}`;
  }
  if (domainOfHost(target.host) === other) return `"${value}" names host "${target.host}" of the ${other} domain`;
  return undefined;
}

function parseTarget(value: string): { host: string; port: number | undefined } | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      if (url.protocol === "file:") return undefined;
      return { host: url.hostname, port: url.port ? Number(url.port) : undefined };
    } catch {
      return undefined;
    }
  }
  const hostPort = /^([a-z0-9.-]+):(\d{2,5})$/i.exec(value);
  if (hostPort?.[1] && hostPort[2]) return { host: hostPort[1], port: Number(hostPort[2]) };
  return undefined;
}
