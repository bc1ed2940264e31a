import { listAdminsForMachine } from "@/features/machine-api/admins";

export const dynamic = "force-dynamic";

export const GET = listAdminsForMachine;
