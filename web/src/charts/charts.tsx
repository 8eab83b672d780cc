import { diverging, linear, log } from './scale.js';

const W = 520;
const H = 300;
const M = { l: 48, r: 12, t: 12, b: 38 };

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? `${v / 1000}k` : String(v);
}

export interface Point {
  key: string;
  x: number;
  y: number;
  label: string;
  colour?: number | null;
}

/**
 * A scatter plot (log or linear x), points as focusable circles (keyboard and click select a
 * point). Used for per-code F1 against frequency and for Figure 6's F1 change against count change.
 */
export function Scatter({ points, xLabel, yLabel, logX, yDomain, onPick, title, testId }: { points: Point[]; xLabel: string; yLabel: string; logX?: boolean; yDomain?: [number, number]; onPick?: (key: string) => void; title: string; testId?: string }) {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = logX ? log([Math.max(1, Math.min(...xs, 1)), Math.max(...xs, 10)], [M.l, W - M.r]) : linear([Math.min(...xs, 0), Math.max(...xs, 1)], [M.l, W - M.r]);
  const y = linear(yDomain ?? [Math.min(...ys, 0), Math.max(...ys, 1)], [H - M.b, M.t]);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="group" aria-label={title} data-testid={testId}>
      <Axes x={x} y={y} xLabel={xLabel} yLabel={yLabel} />
      {points.map((p) => (
        <circle
          key={p.key}
          cx={x(p.x)}
          cy={y(p.y)}
          r={4}
          fill={p.colour === undefined ? '#1f5fbf' : diverging(p.colour)}
          fill-opacity={0.75}
          stroke="#333"
          stroke-width={0.4}
          tabIndex={onPick ? 0 : undefined}
          role={onPick ? 'button' : 'img'}
          aria-label={p.label}
          style={onPick ? 'cursor:pointer' : undefined}
          onClick={onPick ? () => onPick(p.key) : undefined}
          onKeyDown={onPick ? (e) => (e.key === 'Enter' || e.key === ' ') && onPick(p.key) : undefined}
        >
          <title>{p.label}</title>
        </circle>
      ))}
    </svg>
  );
}

function Axes({ x, y, xLabel, yLabel }: { x: ReturnType<typeof linear>; y: ReturnType<typeof linear>; xLabel: string; yLabel: string }) {
  return (
    <g aria-hidden="true">
      <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} stroke="#888" />
      <line x1={M.l} x2={M.l} y1={M.t} y2={H - M.b} stroke="#888" />
      {x.ticks.map((t) => (
        <g key={`x${t}`}>
          <line x1={x(t)} x2={x(t)} y1={H - M.b} y2={H - M.b + 4} stroke="#888" />
          <text x={x(t)} y={H - M.b + 15} text-anchor="middle">{fmt(t)}</text>
        </g>
      ))}
      {y.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={M.l - 4} x2={W - M.r} y1={y(t)} y2={y(t)} stroke="#eee" />
          <text x={M.l - 6} y={y(t) + 4} text-anchor="end">{fmt(t)}</text>
        </g>
      ))}
      <text x={(M.l + W - M.r) / 2} y={H - 6} text-anchor="middle">{xLabel}</text>
      <text transform={`translate(12 ${(M.t + H - M.b) / 2}) rotate(-90)`} text-anchor="middle">{yLabel}</text>
    </g>
  );
}

/**
 * Code frequencies by rank on a log scale: the long tail of RuCCoD's Figure 3.
 */
export function RankBars({ counts, title }: { counts: number[]; title: string }) {
  const sorted = [...counts].sort((a, b) => b - a);
  const x = linear([0, Math.max(sorted.length, 1)], [M.l, W - M.r]);
  const y = log([1, Math.max(...sorted, 10)], [H - M.b, M.t]);
  const bw = Math.max(0.5, (W - M.l - M.r) / Math.max(sorted.length, 1));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title} data-testid="frequency-histogram">
      <Axes x={x} y={y} xLabel="codes by frequency rank" yLabel="gold mentions (log)" />
      {sorted.map((c, i) => (
        <rect key={i} x={x(i)} width={bw} y={y(c)} height={H - M.b - y(c)} fill="#1f5fbf" />
      ))}
    </svg>
  );
}

/**
 * Grouped bars: per system, the F1 of the most and least frequent codes (RuCCoD Figure 5).
 */
export function BucketBars({ rows, title }: { rows: { system: string; top: number; bottom: number }[]; title: string }) {
  const y = linear([0, 1], [H - M.b, M.t]);
  const gw = (W - M.l - M.r) / Math.max(rows.length, 1);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title} data-testid="bucket-bars">
      <Axes x={Object.assign(() => 0, { ticks: [] as number[] })} y={y} xLabel="" yLabel="F1" />
      {rows.map((r, i) => (
        <g key={r.system}>
          <rect x={M.l + i * gw + gw * 0.15} width={gw * 0.33} y={y(r.top)} height={H - M.b - y(r.top)} fill="#1f5fbf" />
          <rect x={M.l + i * gw + gw * 0.52} width={gw * 0.33} y={y(r.bottom)} height={H - M.b - y(r.bottom)} fill="#d08a00" />
          <text x={M.l + i * gw + gw / 2} y={H - M.b + 15} text-anchor="middle">{r.system}</text>
        </g>
      ))}
      <text x={W - M.r - 150} y={M.t + 10}>■ top frequency bucket</text>
      <text x={W - M.r - 150} y={M.t + 25} style="fill:#d08a00">■ bottom frequency bucket</text>
    </svg>
  );
}
