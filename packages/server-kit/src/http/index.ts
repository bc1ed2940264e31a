export { RouteTable, type RouteInfo, type RouteMatch, type RoutingRules } from "./route-table";
export { answerParserError, SERVER_OPTIONS, setSecurityHeaders } from "./security-headers";
export { withQuery } from "./with-query";
