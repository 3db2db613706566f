// The loan's life as an SVG chart: instalments, payments, messages, callbacks and warnings on one time axis.
const NS = 'http://www.w3.org/2000/svg';
const DAY = 86_400_000;
const W = 1000;
const LEFT = 110;
const RIGHT = 16;
const TOP = 22;
const LANE = 34;
const COLORS = {
  paid: '#18864b',
  late: '#d4a72c',
  overdue: '#c4362c',
  due: '#98a2b3',
  payment: '#18864b',
  SMS: '#2f6fd6',
  EMAIL: '#7a4cc2',
  suppressed: '#98a2b3',
  created: '#2f6fd6',
  done: '#18864b',
  tried: '#d4a72c',
  late_task: '#c4362c',
  cancelled: '#98a2b3',
  PRIMARY: '#d4a72c',
  INTERMEDIATE: '#e07b24',
  ADVANCED: '#c4362c',
};

function el(name, attrs = {}, title) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (title) {
    const t = document.createElementNS(NS, 'title');
    t.textContent = title;
    node.append(t);
  }
  return node;
}

/** `view` is GET /api/loans/{id}; `t` translates; `fmt` formats an instant. */
export function timelineChart(view, t, fmt) {
  const lanes = ['instalments', 'payments', 'messages', 'callbacks', 'warnings'];
  const height = TOP + lanes.length * LANE + 26;
  const start = Date.parse(view.loan.disbursedAt) - 3 * DAY;
  const now = Date.parse(view.now);
  const lastDue = Date.parse(view.schedule.at(-1)?.dueDate ?? view.now);
  const lastEvent = Math.max(...view.timeline.map((e) => Date.parse(e.at)), now);
  const end = Math.min(lastDue + 5 * DAY, Math.max(lastEvent, now) + 75 * DAY);
  const x = (ms) => LEFT + ((Math.min(Math.max(ms, start), end) - start) / (end - start)) * (W - LEFT - RIGHT);
  const y = (lane) => TOP + lanes.indexOf(lane) * LANE + LANE / 2;
  const svg = el('svg', { viewBox: `0 0 ${W} ${height}`, class: 'chart', role: 'img', 'aria-label': t('loan.chart') });

  lanes.forEach((lane, i) => {
    svg.append(el('rect', { x: LEFT, y: TOP + i * LANE + 2, width: W - LEFT - RIGHT, height: LANE - 4, class: 'lane', rx: 3 }));
    const label = el('text', { x: 8, y: y(lane) + 4 });
    label.textContent = t(`lane.${lane}`);
    svg.append(label);
  });
  // A grid line at each month start.
  const cursor = new Date(start);
  cursor.setUTCDate(1);
  cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  const monthStep = end - start > 400 * DAY ? 3 : 1;
  while (cursor.getTime() < end) {
    const gx = x(cursor.getTime());
    svg.append(el('line', { x1: gx, x2: gx, y1: TOP, y2: TOP + lanes.length * LANE, class: 'grid' }));
    const label = el('text', { x: gx + 2, y: height - 8 });
    label.textContent = cursor.toISOString().slice(0, 7);
    svg.append(label);
    cursor.setUTCMonth(cursor.getUTCMonth() + monthStep);
  }

  for (const inst of view.schedule) {
    const color = { PAID: COLORS.paid, PAID_LATE: COLORS.late, OVERDUE: COLORS.overdue }[inst.status] ?? COLORS.due;
    const cx = x(Date.parse(`${inst.dueDate}T12:00:00Z`));
    svg.append(
      el(
        'rect',
        {
          x: cx - 5,
          y: y('instalments') - 5,
          width: 10,
          height: 10,
          rx: 2,
          fill: inst.status === 'DUE' ? '#fff' : color,
          stroke: color,
          'data-kind': 'instalment',
        },
        `#${inst.seq} ${inst.dueDate} ${inst.amount} · ${t(`sched.${inst.status}`)}`,
      ),
    );
  }
  const biggest = Math.max(1, ...view.payments.map((p) => p.amount));
  for (const p of view.payments) {
    svg.append(
      el(
        'circle',
        {
          cx: x(Date.parse(p.at)),
          cy: y('payments'),
          r: 3 + 7 * Math.sqrt(p.amount / biggest),
          fill: COLORS.payment,
          'fill-opacity': 0.75,
          'data-kind': 'payment',
        },
        `${fmt(p.at)} · ${p.amount}${p.by ? ` · ${p.by}` : ''}`,
      ),
    );
  }
  for (const e of view.timeline) {
    const at = Date.parse(e.at);
    if (e.type === 'MESSAGE_SENT' || e.type === 'CONTACT_SUPPRESSED') {
      const suppressed = e.type === 'CONTACT_SUPPRESSED';
      const color = suppressed ? COLORS.suppressed : (COLORS[e.channel] ?? COLORS.SMS);
      const mx = x(at);
      const my = y('messages') + (e.channel === 'EMAIL' ? 6 : -6);
      svg.append(
        el(
          'path',
          {
            d: `M${mx} ${my - 5} L${mx + 5} ${my} L${mx} ${my + 5} L${mx - 5} ${my} Z`,
            fill: suppressed ? '#fff' : color,
            stroke: color,
            'data-kind': 'message',
          },
          `${fmt(e.at)} · ${e.channel} · ${t(`purpose.${e.purpose}`)}${suppressed ? ` · ${e.reason}` : ''}`,
        ),
      );
    } else if (e.type.startsWith('CALLBACK_')) {
      const kind = {
        CALLBACK_CREATED: 'created',
        CALLBACK_COMPLETED: 'done',
        CALLBACK_ATTEMPTED: 'tried',
        CALLBACK_OVERDUE: 'late_task',
        CALLBACK_CANCELLED: 'cancelled',
      }[e.type];
      if (!kind) continue;
      const color = COLORS[kind];
      const hollow = kind === 'created' || kind === 'cancelled';
      svg.append(
        el(
          'circle',
          { cx: x(at), cy: y('callbacks'), r: 5, fill: hollow ? '#fff' : color, stroke: color, 'stroke-width': 2, 'data-kind': 'callback' },
          `${fmt(e.at)} · ${t(`ev.${e.type}`, { purpose: t(`purpose.${e.purpose}`), outcome: e.outcome ? t(`outcome.${e.outcome}`) : '' })}${e.by ? ` · ${e.by}` : ''}`,
        ),
      );
    } else if (e.type === 'WARNING_RAISED' || e.type === 'LEGAL_REFERRAL') {
      const level = e.type === 'LEGAL_REFERRAL' ? 'ADVANCED' : e.level;
      const wx = x(at);
      svg.append(
        el('rect', {
          x: wx,
          y: y('warnings') - 9,
          width: Math.max(2, x(end) - wx),
          height: 18,
          fill: COLORS[level],
          'fill-opacity': 0.22,
          'data-kind': 'warning',
        }),
      );
      svg.append(
        el(
          'line',
          { x1: wx, x2: wx, y1: y('warnings') - 11, y2: y('warnings') + 11, stroke: COLORS[level], 'stroke-width': 3 },
          `${fmt(e.at)} · ${e.type === 'LEGAL_REFERRAL' ? t('next.LEGAL_REFERRAL') : t(`warning.${level}`)}`,
        ),
      );
    }
  }
  const nx = x(now);
  svg.append(el('line', { x1: nx, x2: nx, y1: TOP - 6, y2: TOP + lanes.length * LANE, class: 'now' }));
  const label = el('text', { x: nx + 3, y: TOP - 8 });
  label.textContent = `${t('chart.now')} ${view.now.slice(0, 10)}`;
  svg.append(label);
  return svg;
}

export function chartLegend(t) {
  const items = [
    [COLORS.paid, t('sched.PAID')],
    [COLORS.late, t('sched.PAID_LATE')],
    [COLORS.overdue, t('sched.OVERDUE')],
    [COLORS.payment, t('lane.payments')],
    [COLORS.SMS, 'SMS'],
    [COLORS.EMAIL, 'Email'],
    [COLORS.done, t('task.DONE')],
    [COLORS.late_task, t('ev.CALLBACK_OVERDUE', { purpose: '' }).replace(/[:：]\s*$/, '')],
    [COLORS.PRIMARY, t('warning.PRIMARY')],
    [COLORS.INTERMEDIATE, t('warning.INTERMEDIATE')],
    [COLORS.ADVANCED, t('warning.ADVANCED')],
  ];
  const div = document.createElement('div');
  div.className = 'legend';
  for (const [color, text] of items) {
    const span = document.createElement('span');
    const dot = document.createElement('i');
    dot.style.background = color;
    span.append(dot, text);
    div.append(span);
  }
  return div;
}
