import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, Card, DefinitionList, ErrorNotice, PageHeader, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";

export const metadata: Metadata = { title: "Courier message" };

export default async function CourierMessagePage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminPage("viewer");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  let message;
  try {
    message = await kratosAdmin().getCourierMessage(id);
  } catch (error) {
    return <ErrorNotice title="The message could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  if (!message) notFound();
  return (
    <>
      <PageHeader
        title={message.subject}
        description={
          <Link href="/courier" className="underline">
            Courier messages
          </Link>
        }
      />
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <Card title="Body">
          {/* Shown as text, never as HTML: a mail body is not trusted markup. */}
          <pre className="max-h-[70vh] overflow-auto whitespace-pre-wrap text-sm">{message.body}</pre>
        </Card>
        <Card title="Details">
          <DefinitionList
            items={[
              ["Recipient", message.recipient],
              [
                "Template",
                <span key="t" className="font-mono text-xs">
                  {message.template_type}
                </span>,
              ],
              ["Status", <Badge key="s">{message.status}</Badge>],
              ["Send attempts", String(message.send_count)],
              ["Created", <Time key="c" value={message.created_at} />],
              ["Updated", <Time key="u" value={message.updated_at} />],
            ]}
          />
        </Card>
      </div>
    </>
  );
}
