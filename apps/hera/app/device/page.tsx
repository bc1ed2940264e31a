import type { Metadata } from "next";
import { PageShell } from "@/components/page-shell";
import { deviceError, type DeviceError } from "@/lib/server/device/verification";
import { one } from "@/lib/search-params";
import { submitUserCode } from "./actions";

export const metadata: Metadata = { title: "Connect a device" };

const MESSAGES: Record<DeviceError, string> = {
  invalid_code: "That code is not valid. It may be mistyped, already used or expired: check the code shown on your device and try again.",
  expired: "This page has expired. Open the address shown on your device again to enter its code.",
  unavailable: "We could not reach the sign-in service. Please try again in a moment.",
  too_many_attempts: "Too many codes were tried. Wait a few minutes, then type the code shown on your device again.",
};

/**
 * `/device?device_challenge=&user_code=` (Hydra's `urls.device.verification`):
 * the person types the code their device shows (prefilled when the device
 * linked here with it) and continues to sign in and allow the device.
 * Only Hydra hands out challenges (with its device CSRF cookie, on its own
 * host), so opened without one the page says where to start.
 */
export default async function DevicePage({ searchParams }: PageProps<"/device">) {
  const params = await searchParams;
  const challenge = one(params, "device_challenge");
  const error = deviceError(one(params, "error"));
  return (
    <PageShell>
      <section className="w-full rounded-xl border border-slate-200 bg-white p-8 shadow-sm" data-testid="device">
        <h1 className="text-xl font-semibold">Connect a device</h1>
        <p className="mt-2 text-slate-700">Enter the code shown on your TV, console or other device.</p>
        {error ? (
          <p role="alert" className="mt-4 rounded-lg bg-red-50 p-3 text-red-800" data-testid="device-error">
            {MESSAGES[error]}
          </p>
        ) : null}
        {challenge ? (
          <form action={submitUserCode} className="mt-6 flex flex-col gap-4" data-testid="device-form">
            <input type="hidden" name="device_challenge" value={challenge} />
            <label className="flex flex-col gap-2">
              <span className="font-medium">Code</span>
              <input
                name="user_code"
                defaultValue={one(params, "user_code") ?? ""}
                required
                maxLength={200}
                autoComplete="one-time-code"
                autoCapitalize="off"
                autoCorrect="off"
                spellCheck={false}
                className="rounded-lg border border-slate-300 px-3 py-2 font-mono text-lg tracking-widest"
                data-testid="device-user-code"
              />
            </label>
            <button
              type="submit"
              className="rounded-lg bg-brand px-4 py-2.5 font-semibold text-white hover:opacity-90"
              data-testid="device-submit"
            >
              Continue
            </button>
          </form>
        ) : (
          <p className="mt-6 text-slate-700" data-testid="device-start">
            Open the address your device shows on its screen (or scan its QR code) to enter the code.
          </p>
        )}
      </section>
    </PageShell>
  );
}
