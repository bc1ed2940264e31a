import type { Metadata } from "next";
import Link from "next/link";
import { Card, EmptyState, ErrorNotice, PageHeader } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { asRecord } from "@/shared/json";
import { traitFields } from "./schema-form";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";

export const metadata: Metadata = { title: "Identity schemas" };

export default async function SchemasPage() {
  await requireAdminPage("viewer");
  let schemas;
  try {
    schemas = await kratosAdmin().listSchemas();
  } catch (error) {
    return <ErrorNotice title="Identity schemas could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  return (
    <>
      <PageHeader
        title="Identity schemas"
        description="The schemas this domain's Kratos serves. They come from platform/ configuration and are read-only here."
      />
      {schemas.length === 0 ? (
        <EmptyState title="Kratos serves no schemas." />
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" data-testid="schemas">
          {schemas.map((s) => {
            const title = asRecord(s.schema).title;
            return (
              <Card key={s.id} title={s.id}>
                <p className="text-sm text-slate-600">{typeof title === "string" ? title : ""}</p>
                <p className="mt-2 text-sm">
                  {traitFields(s.schema)
                    .map((f) => f.label)
                    .join(", ")}
                </p>
                <Link href={`/schemas/${encodeURIComponent(s.id)}`} className="mt-3 inline-block text-sm text-brand underline">
                  View JSON schema
                </Link>
              </Card>
            );
          })}
        </div>
      )}
    </>
  );
}
