"use client";

import { useState } from "react";
import { IAM_ADMIN_ROLES, type IamAdminRole } from "@olympus/ory-client/identity";
import { Badge, Button, inputClass } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { setAdminRole } from "../actions";

const NO_ROLE = "none";
const DESCRIPTIONS: Record<IamAdminRole | typeof NO_ROLE, string> = {
  none: "none — no access to Athena",
  viewer: "viewer — reads both Athenas",
  admin: "admin — reads and changes both Athenas",
};

/**
 * An employee's Athena role (metadata_admin.iam_admin_role), on Athena IAM.
 * Only an admin changes it, never their own; the change ends the person's
 * IAM logins and consents so it takes effect at their next sign-in.
 */
export function RoleForm({
  identityId,
  role,
  canWrite,
  isSelf,
}: {
  identityId: string;
  role: IamAdminRole | null;
  canWrite: boolean;
  isSelf: boolean;
}) {
  const current = role ?? NO_ROLE;
  const [selected, setSelected] = useState<string>(current);
  const change = useServerAction(setAdminRole);
  const reason = !canWrite ? "Needs the admin role" : isSelf ? "Ask another admin to change your own role" : undefined;
  return (
    <form
      className="flex flex-col gap-3 text-sm"
      aria-label="Athena role"
      onSubmit={(event) => {
        event.preventDefault();
        const next = IAM_ADMIN_ROLES.find((r) => r === selected) ?? null;
        change.run({ id: identityId, role: next });
      }}
    >
      <p className="flex items-center gap-2">
        <span>Current role:</span>
        <Badge color={role ? "blue" : "gray"}>
          <span data-testid="role-current">{current}</span>
        </Badge>
      </p>
      <label className="flex flex-col gap-1">
        <span>New role</span>
        <select
          data-testid="role-select"
          className={inputClass}
          value={selected}
          onChange={(e) => setSelected(e.target.value)}
          disabled={Boolean(reason)}
        >
          {([NO_ROLE, ...IAM_ADMIN_ROLES] as const).map((value) => (
            <option key={value} value={value}>
              {DESCRIPTIONS[value]}
            </option>
          ))}
        </select>
      </label>
      <p className="text-xs text-slate-500">
        Changing the role signs the person out of every IAM app (their Hydra logins and consents end, with their tokens); their Athena
        sessions end at the next re-check, and the next sign-in carries the new role.
      </p>
      <div>
        <Button type="submit" variant="primary" disabled={Boolean(reason) || change.pending || selected === current} title={reason}>
          {change.pending ? "Changing…" : "Change role"}
        </Button>
      </div>
    </form>
  );
}
