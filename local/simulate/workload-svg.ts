// workload.svg: agent calls and messages sent per week over the horizon, as two lines on one chart.
import { weekOf } from './tally.js';

export interface WeeklySeries {
  /** Week starts (Mondays, YYYY-MM-DD) from the first week to the last, gaps included. */
  weeks: string[];
  calls: number[];
  messages: number[];
}

export function weeklySeries(callsByWeek: Record<string, number>, messagesByWeek: Record<string, number>, from: string, to: string): WeeklySeries {
  const weeks: string[] = [];
  for (let week = weekOf(from); week <= to; week = new Date(Date.parse(`${week}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10)) weeks.push(week);
  return { weeks, calls: weeks.map((w) => callsByWeek[w] ?? 0), messages: weeks.map((w) => messagesByWeek[w] ?? 0) };
}

const WIDTH = 960;
const HEIGHT = 420;
const MARGIN = { top: 48, right: 24, bottom: 56, left: 64 };

/** A nice round step for about `ticks` gridlines up to `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = Math.max(1, max) / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return Math.max(1, step);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function workloadSvg(series: WeeklySeries, title: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = Math.max(1, ...series.calls, ...series.messages);
  const step = niceStep(max, 5);
  const top = Math.ceil(max / step) * step;
  const n = series.weeks.length;
  const x = (i: number) => MARGIN.left + (n <= 1 ? plotWidth / 2 : (i / (n - 1)) * plotWidth);
  const y = (v: number) => MARGIN.top + plotHeight - (v / top) * plotHeight;
  const line = (values: number[]) => values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<title>${escapeXml(title)}</title>`);
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(`<text x="${MARGIN.left}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  for (let v = 0; v <= top; v += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${v}</text>`);
  }
  // One label a month (the first week starting in it), fewer when the horizon is long.
  const monthStarts = series.weeks.map((w, i) => ({ w, i })).filter(({ w, i }) => i === 0 || w.slice(0, 7) !== series.weeks[i - 1]!.slice(0, 7));
  const every = Math.max(1, Math.ceil(monthStarts.length / 18));
  monthStarts.forEach(({ w, i }, k) => {
    if (k % every !== 0) return;
    parts.push(`<line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 5}" stroke="#555"/>`);
    parts.push(`<text x="${x(i).toFixed(1)}" y="${MARGIN.top + plotHeight + 20}" text-anchor="middle" fill="#555">${w.slice(0, 7)}</text>`);
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#555"/>`);
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle" fill="#555">week (borrower local time)</text>`);
  parts.push(
    `<text x="16" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" fill="#555" transform="rotate(-90 16 ${MARGIN.top + plotHeight / 2})">per week</text>`,
  );
  parts.push(
    `<polyline fill="none" stroke="#d9480f" stroke-width="2" points="${line(series.messages)}"><title>messages (SMS + email) per week</title></polyline>`,
  );
  parts.push(`<polyline fill="none" stroke="#1c7ed6" stroke-width="2" points="${line(series.calls)}"><title>agent calls per week</title></polyline>`);
  const legendX = WIDTH - MARGIN.right - 260;
  parts.push(`<rect x="${legendX}" y="12" width="14" height="4" fill="#1c7ed6"/><text x="${legendX + 20}" y="18">calls (agents)</text>`);
  parts.push(`<rect x="${legendX + 120}" y="12" width="14" height="4" fill="#d9480f"/><text x="${legendX + 140}" y="18">messages (SMS + email)</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
