import { startupConfig } from "@olympus/runtime-config/config";
import { describeSecondFactorMethods, type SecondFactorNotice as Notice } from "@/lib/second-factor-notice";

/**
 * Tells a signed-in person about the second factor the domain requires
 * (Athena's MFA settings over MFA_REQUIRED): set one up now, or how many
 * days of the grace period are left — naming only the methods that count. `settingsLink` for pages other than settings itself.
 */
export function SecondFactorNotice({ notice, settingsLink = false }: { notice: Notice; settingsLink?: boolean }) {
  if (notice.kind === "none") return null;
  const { branding } = startupConfig();
  const devices = describeSecondFactorMethods(notice.methods);
  return (
    <section
      role={notice.kind === "required" ? "alert" : "status"}
      data-testid="second-factor-notice"
      data-kind={notice.kind}
      className="w-full rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
    >
      {notice.kind === "required" ? (
        <p>
          <strong>{branding.productName} requires a second factor.</strong> Set up {devices} to continue signing in to its applications.
        </p>
      ) : (
        <p>
          <strong>
            Set up a second factor within {notice.daysLeft} {notice.daysLeft === 1 ? "day" : "days"}.
          </strong>{" "}
          After that, signing in to {branding.productName} applications asks you to set up {devices} first.
        </p>
      )}
      {settingsLink ? (
        <p className="mt-2">
          <a className="font-semibold underline" href="/settings">
            Set up a second factor
          </a>
        </p>
      ) : null}
    </section>
  );
}
