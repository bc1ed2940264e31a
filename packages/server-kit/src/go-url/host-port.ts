import type { GoUrl } from "./parse";

/**
 * URL.Hostname and URL.Port (net/url url.go splitHostPort): the port is
 * what follows the last `:` when that is digits only (or nothing), and the
 * brackets of an IP literal are taken off the host. Neither validates: a
 * Host url.Parse accepted is split as it is.
 */
function splitHostPort(host: string): { hostname: string; port: string } {
  let hostname = host;
  let port = "";
  const colon = host.lastIndexOf(":");
  if (colon !== -1 && /^:[0-9]*$/.test(host.slice(colon))) {
    hostname = host.slice(0, colon);
    port = host.slice(colon + 1);
  }
  if (hostname.startsWith("[") && hostname.endsWith("]")) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** URL.Hostname (a byte string, as GoUrl's fields are). */
export const goUrlHostname = (url: Pick<GoUrl, "host">): string => splitHostPort(url.host).hostname;

/** URL.Port (a byte string). */
export const goUrlPort = (url: Pick<GoUrl, "host">): string => splitHostPort(url.host).port;
