/**
 * Prometheus' text exposition format (version 0.0.4), as client_golang's
 * promhttp writes it: families sorted by name, `# HELP` and `# TYPE`
 * lines, labels sorted by name, histograms as cumulative `_bucket` series
 * with `le`, then `_sum` and `_count`.
 */
export type Labels = Record<string, string>;

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64) as the text format uses it (`+Inf`, integers without a point). */
export function formatValue(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (Number.isNaN(value)) return "NaN";
  const text = String(value);
  // Go writes exponents with at least two digits (1e-07, 1.5e+21).
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}

export function renderLabels(labels: Labels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return "";
  return `{${names.map((name) => `${name}="${escapeLabel(labels[name] ?? "")}"`).join(",")}}`;
}

export interface Sample {
  /** Suffix of the family name (`_bucket`, `_sum`, `_count`) or "". */
  suffix: string;
  labels: Labels;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  samples: Sample[];
}

export function renderFamilies(families: Family[]): string {
  const lines: string[] = [];
  for (const family of [...families].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples)
      lines.push(`${family.name}${sample.suffix}${renderLabels(sample.labels)} ${formatValue(sample.value)}`);
  }
  return `${lines.join("\n")}\n`;
}
