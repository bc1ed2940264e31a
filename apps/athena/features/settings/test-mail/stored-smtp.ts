import "server-only";
import type { SmtpSettings } from "@olympus/kratos-settings";
import type { SettingsStore } from "@olympus/athena-store/settings";
import { checkSetting } from "../catalog";

export type StoredSmtp = { ok: true; smtp: SmtpSettings } | { ok: false; missing: string[] };

/**
 * The SMTP settings as stored (the password unsealed, on the server only),
 * each value checked with the catalogue's rule so a test mail goes out with
 * what Kratos would be given.
 */
export async function readStoredSmtp(store: Pick<SettingsStore, "get">): Promise<StoredSmtp> {
  const read = async (key: string) => {
    const text = await store.get(key);
    if (text === undefined) return undefined;
    const checked = checkSetting(key, text, false);
    return checked.ok ? checked.value : undefined;
  };
  const [host, port, username, password, fromAddress, fromName, security] = await Promise.all(
    ["smtp.host", "smtp.port", "smtp.username", "smtp.password", "smtp.from_address", "smtp.from_name", "smtp.security"].map(read),
  );
  const missing = [host === undefined && "host", port === undefined && "port", fromAddress === undefined && "sender address"].filter(
    (name): name is string => typeof name === "string",
  );
  if (host === undefined || port === undefined || fromAddress === undefined) return { ok: false, missing };
  return {
    ok: true,
    smtp: {
      host,
      port: Number(port),
      fromAddress,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      ...(fromName === undefined ? {} : { fromName }),
      ...(security === "tls" || security === "starttls" || security === "none" ? { security } : {}),
    },
  };
}
