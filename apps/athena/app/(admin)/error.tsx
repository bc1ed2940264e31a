"use client";

import { Button, ErrorNotice } from "@/shared/ui/primitives";

export default function AdminError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="flex flex-col gap-3">
      <ErrorNotice title="This page could not be shown">
        Nothing about the cause is sent to the browser; the server log has the details.
      </ErrorNotice>
      <div>
        <Button onClick={reset}>Try again</Button>
      </div>
    </div>
  );
}
