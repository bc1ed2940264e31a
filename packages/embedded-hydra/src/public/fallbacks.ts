import type { RouteInfo } from "@olympus/server-kit/http";
import type { HydraConfig } from "../config/load";
import type { Mapping } from "./mapping";

/**
 * Hydra's fallback pages (oauth2/handler_fallback_endpoints.go), where it
 * sends browsers when `urls.login`, `urls.consent`, `urls.logout`,
 * `urls.post_logout_redirect` or `urls.error` are not configured.
 */
export const FALLBACK_PATHS = {
  login: "/oauth2/fallbacks/login",
  consent: "/oauth2/fallbacks/consent",
  logout: "/oauth2/fallbacks/logout",
  postLogout: "/oauth2/fallbacks/logout/callback",
  error: "/oauth2/fallbacks/error",
  deviceVerification: "/oauth2/fallbacks/device",
  deviceDone: "/oauth2/fallbacks/device/done",
} as const;

export const FALLBACK_ROUTES: RouteInfo[] = Object.values(FALLBACK_PATHS).map((pattern) => ({ methods: ["GET"], pattern }));

/** The UI and redirect URLs in effect: the configured ones, else Hydra's fallbacks on the public URL. */
export interface HydraUrls {
  login: string;
  registration: string;
  consent: string;
  logout: string;
  error: string;
  postLogoutRedirect: string;
}

export function resolveUrls(config: HydraConfig, publicUrl: string): HydraUrls {
  const fallback = (path: string) => `${publicUrl}${path.slice(1)}`;
  const login = config.urls.login ?? fallback(FALLBACK_PATHS.login);
  return {
    login,
    registration: config.urls.registration ?? login,
    consent: config.urls.consent ?? fallback(FALLBACK_PATHS.consent),
    logout: config.urls.logout ?? fallback(FALLBACK_PATHS.logout),
    error: config.urls.error ?? fallback(FALLBACK_PATHS.error),
    postLogoutRedirect: config.urls.post_logout_redirect ?? fallback(FALLBACK_PATHS.postLogout),
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const MISSING = "The request could not be executed because a mandatory configuration key is missing or malformed";
const GUIDE = `<p>
	If you are an administrator, please read <a href="https://www.ory.com/docs">the guide</a> to understand what you
	need to do. If you are a user, please contact the administrator.
</p>`;

function missingKeyPage(key: string, title = MISSING, heading = MISSING): string {
  return `<html>
<head>
	<title>${escapeHtml(title)}</title>
</head>
<body>
<h1>
	${escapeHtml(heading)}
</h1>
<p>
	You are seeing this page because configuration key <code>${escapeHtml(key)}</code> is not set.
</p>
${GUIDE}
</body>
</html>`;
}

function errorPage(query: URLSearchParams): string {
  const item = (label: string, name: string) => `	<li>${label}: ${escapeHtml(query.get(name) ?? "")}</li>`;
  return `
<html>
<head>
	<title>An OAuth 2.0 Error Occurred</title>
</head>
<body>
<h1>
	The OAuth2 request resulted in an error.
</h1>
<ul>
${[item("Error", "error"), item("Description", "error_description"), item("Hint", "error_hint"), item("Debug", "error_debug")].join("\n")}
</ul>
<p>
	You are seeing this page because configuration key <code>urls.error</code> is not set.
</p>
${GUIDE}
</body>
</html>
`;
}

/** The fallback page for a GET on one of the fallback paths, if it is one. */
export function fallbackPage(pathname: string, query: URLSearchParams): Mapping | undefined {
  switch (pathname) {
    case FALLBACK_PATHS.login:
      return { kind: "html", status: 200, body: missingKeyPage("urls.login") };
    case FALLBACK_PATHS.consent:
      return { kind: "html", status: 200, body: missingKeyPage("urls.consent") };
    case FALLBACK_PATHS.logout:
      return { kind: "html", status: 200, body: missingKeyPage("urls.logout") };
    case FALLBACK_PATHS.postLogout:
      return {
        kind: "html",
        status: 200,
        body: missingKeyPage(
          "urls.post_logout_redirect",
          "You logged out successfully!",
          "The Default Post Logout URL is not set which is why you are seeing this fallback page. Your log out request however succeeded.",
        ),
      };
    case FALLBACK_PATHS.error:
      return { kind: "html", status: 500, body: errorPage(query) };
    case FALLBACK_PATHS.deviceVerification:
      return { kind: "html", status: 200, body: missingKeyPage("urls.device.verification") };
    case FALLBACK_PATHS.deviceDone:
      return {
        kind: "html",
        status: 200,
        body: missingKeyPage(
          "urls.device.success",
          "You successfully authenticated on your device!",
          "The Default Post Device URL is not set which is why you are seeing this fallback page. Your device login request however succeeded.",
        ),
      };
    default:
      return undefined;
  }
}
