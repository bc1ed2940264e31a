import "server-only";
import { ClientIpResolver } from "../kratos-edge/client-address";
import type { EdgeLimiter } from "../kratos-edge/limiter";
import { peerAddressOf } from "../kratos-edge/peer-address";
import type { UserCodeGuessLimiter } from "./submit-user-code";

/**
 * The edge's limits applied to user-code guesses: charged per device
 * challenge and per client address (the connection's, or X-Forwarded-For
 * behind a trusted proxy, exactly as the Kratos proxy counts) before Hydra
 * is asked, so parallel guesses are all counted.
 */
export function userCodeGuessLimiter(limiter: EdgeLimiter, requestHeaders: Headers): UserCodeGuessLimiter {
  const clientAddress = new ClientIpResolver(limiter.config.client_ip.trusted_proxies).resolve(
    peerAddressOf(requestHeaders),
    requestHeaders.get("x-forwarded-for"),
  );
  return { admit: (challenge) => limiter.admit([{ type: "device_user_code", challenge }], clientAddress) };
}
