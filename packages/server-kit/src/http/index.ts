export { RouteTable, type RouteInfo, type RouteMatch, type RoutingRules } from "./route-table";
export { setSecurityHeaders, type SecurityHeaderOptions } from "./security-headers";
export { answerExpectAsNetHttp, answerParserError, isNetHttpRefusal, refusedAsNetHttp, SERVER_OPTIONS } from "./net-http-refusals";
export { goPathClean, goRedirect, goRedirectAnswer, type GoRedirectStatus } from "./go-redirect";
export { goCleanPath, goCleanPathLocation } from "./go-serve-mux";
export { goRequestTarget, requestTargetOf } from "./request-target";
export { answerUnreadBodiesAsNetHttp, answerUnreadBodyAsNetHttp, discardUnreadBody, MAX_POST_HANDLER_READ_BYTES } from "./unread-body";
export { applyGoServerTimeouts, type GoServerTimeouts } from "./go-server-timeouts";
export { withQuery } from "./with-query";
export { backoffMs, retriesStatus, retryAfterMs } from "./outbound/backoff";
export { GoUrlError, type OutboundRequest, type OutboundResponse } from "./outbound/go-client";
export {
  exceptionMatchTarget,
  GlobCompileError,
  privateIpPolicyOf,
  refusesInternalAddresses,
  type PrivateIpPolicy,
} from "./outbound/private-ip-policy";
export {
  abandonmentSignal,
  ORY_HTTP_CLIENT,
  ResilientClientError,
  resilientFetch,
  type ResilientOptions,
} from "./outbound/resilient-client";
export { prohibitedAddress } from "./outbound/ssrf";
