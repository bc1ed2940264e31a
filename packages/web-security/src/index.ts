export { exactOrigin, refuseForeignServerAction, type Refusal } from "./action-origin";
export { contentSecurityPolicy, newCspNonce, securityHeaders, type AppEnvironment, type CspSources } from "./headers";
export { sameOriginPath } from "./same-origin-path";
