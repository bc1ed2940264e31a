import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, ErrorNotice, PageHeader } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";

export const metadata: Metadata = { title: "Identity schema" };

export default async function SchemaPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminPage("viewer");
  const id = decodeURIComponent((await params).id);
  let schema;
  try {
    schema = await kratosAdmin().getSchema(id);
  } catch (error) {
    return <ErrorNotice title="The schema could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  if (!schema) notFound();
  return (
    <>
      <PageHeader
        title={id}
        description={
          <Link href="/schemas" className="underline">
            Identity schemas
          </Link>
        }
      />
      <Card>
        <pre className="max-h-[70vh] overflow-auto text-xs">{JSON.stringify(schema, null, 2)}</pre>
      </Card>
    </>
  );
}
