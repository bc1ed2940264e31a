import type { Deps } from "../deps";
import type { CsrfCookieOptions } from "../csrf-cookie";
import { FALLBACK_PATHS } from "../public/fallbacks";

/** Hydra's public device paths (oauth2/handler.go DeviceAuthPath, DeviceVerificationPath). */
export const DEVICE_PATHS = {
  authorization: "/oauth2/device/auth",
  verification: "/oauth2/device/verify",
} as const;

export interface DeviceUrls {
  /** `verification_uri` (fositex GetDeviceVerificationURL: always Hydra's own endpoint on the public URL). */
  verificationUri: string;
  /** Where the browser is sent with the device challenge (`urls.device.verification`). */
  verificationUi: string;
  /** Where the browser ends after consent (`urls.device.success`). */
  success: string;
}

export function deviceUrls(deps: Deps): DeviceUrls {
  const { device } = deps.config.urls;
  return {
    verificationUri: `${deps.publicUrl}${DEVICE_PATHS.verification.slice(1)}`,
    verificationUi: device.verification ?? `${deps.publicUrl}${FALLBACK_PATHS.deviceVerification.slice(1)}`,
    success: device.success ?? `${deps.publicUrl}${FALLBACK_PATHS.deviceDone.slice(1)}`,
  };
}

/** The device CSRF cookie: one per browser, not per client (Hydra's CookieNameDeviceCSRF), attributes as the login/consent ones. */
export function deviceCsrfCookie(deps: Deps): { name: string; options: CsrfCookieOptions } {
  const { cookies } = deps.config.serve;
  const sameSite = cookies.same_site_mode === "None" && !deps.issuer.startsWith("https:") ? "Lax" : cookies.same_site_mode;
  return {
    name: cookies.names.device_csrf,
    options: {
      maxAgeSeconds: deps.config.ttl.login_consent_request,
      sameSite,
      secure: cookies.secure,
      keys: deps.config.secrets.cookie ?? deps.config.secrets.system ?? [],
      legacyWorkaround: sameSite === "None" && cookies.same_site_legacy_workaround,
    },
  };
}
