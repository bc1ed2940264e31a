/** A small server-rendered bar chart (SVG), with the numbers available to screen readers as a table. */
export function BarChart({
  title,
  data,
  format = (v) => String(v),
}: {
  title: string;
  data: { label: string; value: number | null }[];
  format?: (value: number) => string;
}) {
  const max = Math.max(1, ...data.map((d) => d.value ?? 0));
  const width = 28;
  const height = 120;
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-sm font-medium text-slate-700">{title}</figcaption>
      <svg
        viewBox={`0 0 ${data.length * width} ${height + 18}`}
        className="h-40 w-full"
        role="img"
        aria-label={title}
        preserveAspectRatio="none"
      >
        {data.map((d, i) => {
          const h = d.value === null ? 0 : Math.max(d.value > 0 ? 2 : 0, (d.value / max) * height);
          return (
            <g key={d.label}>
              <rect
                x={i * width + 4}
                y={height - h}
                width={width - 8}
                height={h}
                rx={2}
                className="fill-brand"
                opacity={d.value === null ? 0.2 : 0.85}
              >
                <title>{`${d.label}: ${d.value === null ? "no data" : format(d.value)}`}</title>
              </rect>
              {i % 2 === 0 && (
                <text x={i * width + width / 2} y={height + 14} textAnchor="middle" className="fill-slate-500" fontSize="9">
                  {d.label.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {data.map((d) => (
            <tr key={d.label}>
              <th scope="row">{d.label}</th>
              <td>{d.value === null ? "no data" : format(d.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
