/** One reason a configuration breaks the port table or the CIAM/IAM boundary. */
export interface Problem {
  /** Where: file or service, then a dotted path inside it. */
  where: string;
  message: string;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.where}: ${p.message}`).join("\n");
}
