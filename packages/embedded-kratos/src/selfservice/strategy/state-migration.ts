/**
 * SQL that moves a strategy's flat keys of `selfservice_flows.internal_context`
 * (`{"<old>": v}`) under the strategy's own key (`{"<strategy>": {"<new>": v}}`),
 * keeping what that key already holds. Idempotent: rows without old keys are
 * untouched. Key names are fixed strings of the calling migration.
 */
export function movedUnderStrategyKey(strategyId: string, renames: Record<string, string>): string {
  const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;
  const oldKeys = Object.keys(renames);
  const pairs = Object.entries(renames)
    .map(([from, to]) => `${quote(to)}, internal_context -> ${quote(from)}`)
    .join(", ");
  return `
UPDATE selfservice_flows
   SET internal_context = (internal_context - ${oldKeys.map(quote).join(" - ")})
     || jsonb_build_object(${quote(strategyId)}, COALESCE(internal_context -> ${quote(strategyId)}, '{}'::jsonb) || COALESCE(
          (SELECT jsonb_object_agg(key, value) FROM jsonb_each(jsonb_build_object(${pairs})) WHERE value IS NOT NULL AND value <> 'null'::jsonb),
          '{}'::jsonb))
 WHERE internal_context ?| ARRAY[${oldKeys.map(quote).join(", ")}];`;
}
