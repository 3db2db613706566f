// capacity.svg: demand per hour over the typical month, one small chart per quota, each against the quota's
// per-hour equivalent (dashed). Log scale: demand and quota can be orders of magnitude apart. House style of
// ../simulate/workload-svg.ts: plain SVG, no dependencies.

export interface HourlyPanel {
  label: string;
  /** Demand per hour from the window's start, scaled to the book. */
  perHour: number[];
  /** The quota's per-hour equivalent (a rate times 3,600, a daily quota over 24). */
  limitPerHour: number;
}

const PANEL_WIDTH = 470;
const PANEL_HEIGHT = 190;
const COLUMNS = 2;
const HEADER = 56;
const MARGIN = { top: 28, right: 16, bottom: 30, left: 64 };

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `12k`, `3.4M`: short labels for a log axis. */
function short(v: number): string {
  if (v >= 1e9) return `${+(v / 1e9).toPrecision(2)}G`;
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(2)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(2)}k`;
  return `${+v.toPrecision(2)}`;
}

export function capacitySvg(panels: HourlyPanel[], windowFrom: number, title: string): string {
  const rows = Math.max(1, Math.ceil(panels.length / COLUMNS));
  const width = PANEL_WIDTH * COLUMNS;
  const height = HEADER + rows * PANEL_HEIGHT;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
  );
  parts.push(`<title>${escapeXml(title)}</title>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="16" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(`<rect x="16" y="34" width="14" height="4" fill="#1c7ed6"/><text x="36" y="40">demand per hour (scaled to the book)</text>`);
  parts.push(
    `<line x1="270" x2="284" y1="36" y2="36" stroke="#e03131" stroke-width="2" stroke-dasharray="5 3"/><text x="290" y="40">the quota per hour</text>`,
  );
  parts.push(
    `<text x="${width - 16}" y="40" text-anchor="end" fill="#555">log scale; x: days from ${new Date(windowFrom).toISOString().slice(0, 10)} (UTC)</text>`,
  );
  panels.forEach((panel, k) => {
    const ox = (k % COLUMNS) * PANEL_WIDTH;
    const oy = HEADER + Math.floor(k / COLUMNS) * PANEL_HEIGHT;
    parts.push(panelSvg(panel, ox, oy));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function panelSvg(panel: HourlyPanel, ox: number, oy: number): string {
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const positive = panel.perHour.filter((v) => v > 0);
  const high = Math.max(panel.limitPerHour, ...positive, 1);
  const low = Math.min(panel.limitPerHour, ...positive, high);
  const top = 10 ** Math.ceil(Math.log10(high) + 1e-9);
  const bottom = 10 ** Math.min(Math.floor(Math.log10(low)), Math.log10(top) - 1);
  const n = panel.perHour.length;
  const x = (i: number) => ox + MARGIN.left + (n <= 1 ? 0 : (i / (n - 1)) * plotWidth);
  const y = (v: number) => {
    const clamped = Math.min(top, Math.max(bottom, v));
    return oy + MARGIN.top + plotHeight - ((Math.log10(clamped) - Math.log10(bottom)) / (Math.log10(top) - Math.log10(bottom))) * plotHeight;
  };
  const parts: string[] = [];
  parts.push(`<g><text x="${ox + MARGIN.left}" y="${oy + 18}" font-weight="bold">${escapeXml(panel.label)}</text>`);
  for (let e = Math.log10(bottom); e <= Math.log10(top) + 1e-9; e += 1) {
    const v = 10 ** e;
    parts.push(`<line x1="${ox + MARGIN.left}" x2="${ox + MARGIN.left + plotWidth}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${ox + MARGIN.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${short(v)}</text>`);
  }
  for (let day = 0; day * 24 < n; day += 7) {
    const px = x(day * 24);
    parts.push(
      `<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${oy + MARGIN.top + plotHeight}" y2="${oy + MARGIN.top + plotHeight + 4}" stroke="#555"/>`,
    );
    parts.push(`<text x="${px.toFixed(1)}" y="${oy + MARGIN.top + plotHeight + 16}" text-anchor="middle" fill="#555">${day}</text>`);
  }
  parts.push(
    `<line x1="${ox + MARGIN.left}" x2="${ox + MARGIN.left + plotWidth}" y1="${oy + MARGIN.top + plotHeight}" y2="${oy + MARGIN.top + plotHeight}" stroke="#555"/>`,
  );
  const points = panel.perHour.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  parts.push(
    `<polyline fill="none" stroke="#1c7ed6" stroke-width="1.2" points="${points}"><title>${escapeXml(panel.label)}: demand per hour</title></polyline>`,
  );
  const ly = y(panel.limitPerHour).toFixed(1);
  parts.push(
    `<line x1="${ox + MARGIN.left}" x2="${ox + MARGIN.left + plotWidth}" y1="${ly}" y2="${ly}" stroke="#e03131" stroke-width="1.5" stroke-dasharray="5 3"><title>quota: ${short(panel.limitPerHour)} per hour</title></line>`,
  );
  parts.push('</g>');
  return parts.join('\n');
}
