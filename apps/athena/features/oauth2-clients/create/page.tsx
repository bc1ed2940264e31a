import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { NewClient } from "./new-client";

export const metadata: Metadata = { title: "New OAuth2 client" };

export default async function NewOAuth2ClientPage() {
  await requireAdminPage("admin");
  return (
    <>
      <PageHeader
        title="New OAuth2 client"
        description={
          <Link href="/oauth2-clients" className="underline">
            OAuth2 clients
          </Link>
        }
      />
      <Card>
        <NewClient />
      </Card>
    </>
  );
}
