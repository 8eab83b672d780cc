/**
 * Linear and log scales and "nice" ticks for the explorer's SVG charts. Hand-written: the charts
 * need three scale kinds and ticks, which is less code than a chart library's bundle (the
 * JavaScript budget is 300 KB gzipped for the whole app).
 */
export type Scale = ((v: number) => number) & { ticks: number[] };

/** @example linear([0, 1], [0, 100])(0.5) // 50 */
export function linear(domain: [number, number], range: [number, number], count = 5): Scale {
  const [d0, d1] = domain[0] === domain[1] ? [domain[0] - 1, domain[1] + 1] : domain;
  const f = ((v: number) => range[0] + ((v - d0) / (d1 - d0)) * (range[1] - range[0])) as Scale;
  const step = niceStep((d1 - d0) / count);
  f.ticks = [];
  for (let t = Math.ceil(d0 / step) * step; t <= d1 + step * 1e-9; t += step) f.ticks.push(Number(t.toPrecision(12)));
  return f;
}

/** A base-10 log scale (values below `domain[0]` are clamped). @example log([1, 100], [0, 2])(10) // 1 */
export function log(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(Math.max(domain[0], 1e-9));
  const l1 = Math.log10(Math.max(domain[1], domain[0] * 10));
  const f = ((v: number) => range[0] + ((Math.log10(Math.max(v, domain[0])) - l0) / (l1 - l0)) * (range[1] - range[0])) as Scale;
  f.ticks = [];
  for (let p = Math.floor(l0); p <= Math.ceil(l1); p++) if (10 ** p >= domain[0] / 1.0001 && 10 ** p <= 10 ** l1 * 1.0001) f.ticks.push(10 ** p);
  return f;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** A diverging colour for a change in [-1, 1]: red below 0, grey at 0, green above. */
export function diverging(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '#c9ced6';
  const t = Math.max(-1, Math.min(1, v * 4));
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * Math.abs(t));
  return t < 0 ? `rgb(${mix(220, 200)},${mix(222, 40)},${mix(227, 40)})` : `rgb(${mix(220, 30)},${mix(222, 140)},${mix(227, 60)})`;
}
