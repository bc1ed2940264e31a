import type { Metadata } from "next";
import type { CourierMessageStatus } from "@olympus/ory-client/admin";
import { ErrorNotice, PageHeader, inputClass } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";
import { FilterBar, FilterField, FilterSelect } from "@/shared/data-table/filter-bar";
import { pageHref } from "@/shared/data-table/page-href";
import { CursorPager } from "@/shared/data-table/pager";
import { CourierTable } from "./courier-table";

export const metadata: Metadata = { title: "Courier messages" };

const STATUSES: readonly CourierMessageStatus[] = ["queued", "sent", "processing", "abandoned"];

export default async function CourierPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage("viewer");
  const params = await searchParams;
  const status = STATUSES.find((s) => s === params.status);
  const recipient = typeof params.recipient === "string" && params.recipient.trim() ? params.recipient.trim().slice(0, 320) : undefined;
  const cursor = typeof params.cursor === "string" && params.cursor.length < 2048 ? params.cursor : undefined;
  let page;
  try {
    page = await kratosAdmin().listCourierMessages({ pageSize: 50, pageToken: cursor, status, recipient });
  } catch (error) {
    return <ErrorNotice title="Courier messages could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  return (
    <>
      <PageHeader title="Courier messages" description="Mail Kratos has queued and sent for this domain (verification, recovery, codes)." />
      <FilterBar action="/courier" label="Filter courier messages" submitLabel="Filter" active={Boolean(recipient || status)}>
        <FilterField label="Recipient" id="courier-recipient" grow>
          <input id="courier-recipient" name="recipient" type="search" defaultValue={recipient ?? ""} className={inputClass} />
        </FilterField>
        <FilterField label="Status" id="courier-status">
          <FilterSelect id="courier-status" name="status" value={status} options={STATUSES} />
        </FilterField>
      </FilterBar>
      <CourierTable
        rows={page.items.map((message) => ({
          id: message.id,
          recipient: message.recipient,
          template: message.template_type,
          subject: message.subject,
          status: message.status,
          createdAt: message.created_at,
        }))}
      />
      <CursorPager
        links={[
          {
            label: "Next page",
            href: page.nextPageToken ? pageHref("/courier", { status, recipient, cursor: page.nextPageToken }) : undefined,
          },
        ]}
      />
    </>
  );
}
