import type { Metadata } from "next";
import { PageShell } from "@/components/page-shell";

export const metadata: Metadata = { title: "Device connected" };

/**
 * `/device/success?client_id=` (Hydra's `urls.device.success`): the device
 * was allowed and will receive its tokens on its next poll. Nothing here
 * depends on the query, so a forged link can only show this sentence.
 */
export default function DeviceSuccessPage() {
  return (
    <PageShell>
      <section data-testid="device-success" className="w-full rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <h1 className="text-xl font-semibold">Your device is connected</h1>
        <p className="mt-3 text-slate-700">You can close this window and continue on your device.</p>
      </section>
    </PageShell>
  );
}
