/**
 * Hydra's outbound HTTP policy (driver/registry_sql.go HTTPClient:
 * `clients.http.disallow_private_ip_ranges` and `private_ip_exception_urls`),
 * shared with the embedded Kratos through @olympus/server-kit/http.
 */
export { exceptionMatchTarget, privateIpPolicyOf, refusesInternalAddresses, type PrivateIpPolicy } from "@olympus/server-kit/http";
