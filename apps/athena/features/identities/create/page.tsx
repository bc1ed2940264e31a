import type { Metadata } from "next";
import Link from "next/link";
import { ErrorNotice, PageHeader } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { traitFields } from "@/features/schemas/schema-form";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";
import { CreateIdentityForm } from "./create-identity-form";

export const metadata: Metadata = { title: "New identity" };

export default async function NewIdentityPage() {
  await requireAdminPage("admin");
  let schemas;
  try {
    schemas = await kratosAdmin().listSchemas();
  } catch (error) {
    return <ErrorNotice title="Identity schemas could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  const options = schemas.map((s) => ({ id: s.id, fields: traitFields(s.schema) }));
  return (
    <>
      <PageHeader
        title="New identity"
        description={
          <>
            <Link href="/identities" className="underline">
              Identities
            </Link>{" "}
            · the form follows the chosen identity schema.
          </>
        }
      />
      <CreateIdentityForm schemas={options} />
    </>
  );
}
