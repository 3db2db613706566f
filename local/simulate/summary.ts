// summary.json and the printed report: the month-by-month workload, the counted usage and its AWS bill.
import { forecastCost, usd, type CostForecast, type PriceTable } from './cost.js';
import type { Sent, Usage } from './run-batch.js';
import { CLASSIFICATION_ORDER, COLLECTION_TIERS, DPD_BUCKETS, emptyMonth, MONTH_MS, monthsBetween, type Tally } from './tally.js';

export interface SummaryInput {
  tally: Tally;
  usage: Usage;
  sent: Sent;
  prices: PriceTable;
  portfolio: { file: string; loans: number; scripted: number; drawn: number };
  seed: number;
  store: 'memory' | 'dynamodb';
  policyFile: string | null;
  /** First local disbursement date and the horizon's local date, YYYY-MM-DD. */
  firstDay: string;
  horizonDay: string;
  /** Months from each disbursement to the horizon, summed over loans. */
  loanMonthsSimulated: number;
  minutesPerCall: number;
  minutesPerVisit: number;
  /**
   * cpuSeconds: every thread of the process, the whole run (synth and export included). storeCpuSeconds: the
   * DynamoDB Local the run started, from start to stop (absent for the memory store or a server of the caller's).
   */
  run: { wallSeconds: number; simulationSeconds: number; cpuSeconds: number; storeCpuSeconds?: number; workers: number; batches: number };
  /** What rows' scripts asked for and the product refused (see SimulatedWorld.problems). */
  scriptProblems?: ScriptProblemOfRow[];
}

/** A scripting error met during the run, named by the row's line, its loan and the behaviour column. */
export interface ScriptProblemOfRow {
  line: number;
  loanId: string;
  field: string;
  reason: string;
}

export interface MonthSummary {
  month: string;
  workingDays: number;
  messages: { SMS: number; EMAIL: number };
  messagesByPurpose: Record<string, Record<string, number>>;
  callbacks: { created: Record<string, number>; completed: Record<string, number>; outcomes: Record<string, number>; overdue: Record<string, number> };
  agentWorkload: {
    calls: number;
    callsPerWorkingDay: number;
    peakDay: { date: string; calls: number } | null;
    fieldVisits: number;
    reviews: number;
    agentHours: number;
  };
  warnings: Record<string, number>;
  legalReferrals: number;
  payments: number;
  loansOnboarded: number;
  loansClosed: number;
  contactSuppressed: Record<string, number>;
  classification: Record<string, number>;
  promises: { made: number; kept: number; broken: number };
  collections: {
    /** COLLECTION_STARTED, and COLLECTION_ENDED by how: CURED (current again) or the reason (LEGAL_REFERRAL). */
    episodesStarted: number;
    episodesEnded: Record<string, number>;
    /** Collection calls created per queue; collection SMS and emails (notices, demand letters) per tier. */
    byTier: Record<string, { calls: number; sms: number; emails: number }>;
  };
  /** LEGAL_CASE_CLOSED by outcome. */
  legalCasesClosed: Record<string, number>;
  /** LOAN_CLOSED by reason. */
  loansClosedByReason: Record<string, number>;
  /** Schedules changed: RESTRUCTURED (a plan agreed) and LOAN_RECALLED (the balance called in early). */
  restructures: number;
  recalls: number;
  /** COLLATERAL_REVALUED; those a shortfall (collateral_shortfall); RISK_RATING_CHANGED. */
  revaluations: number;
  collateralShortfalls: number;
  reRatings: number;
}

/** Of the collection episodes that reached `from` and whose outcome there is known, the share that reached `to`. */
export interface RollRate {
  from: string;
  to: string;
  /** Reached `from` and either rolled or ended there (cured, loan closed); episodes still in `from` at the horizon are left out. */
  episodes: number;
  rolled: number;
  /** Still in `from` at the horizon. */
  censored: number;
  /** rolled / episodes; null when no episode counts. */
  rate: number | null;
}

export interface Summary {
  portfolio: SummaryInput['portfolio'] & { seed: number; store: string; policyFile: string | null; from: string; until: string };
  months: MonthSummary[];
  totals: Omit<MonthSummary, 'month' | 'classification' | 'agentWorkload'> & {
    agentWorkload: {
      calls: number;
      callsPerWorkingDay: number;
      peakDay: { date: string; calls: number } | null;
      fieldVisits: number;
      reviews: number;
      agentHours: number;
    };
    classificationAtHorizon: Record<string, number>;
    collections: MonthSummary['collections'] & {
      /** Episodes ended current (COLLECTION_ENDED cured) over episodes started; null without episodes. */
      cureRate: number | null;
      rollRates: RollRate[];
    };
    /** Legal cases opened (LEGAL_REFERRAL) and closed by outcome. */
    legal: { casesOpened: number; casesClosed: Record<string, number> };
  };
  usage: {
    stateTransitions: number;
    lambdaInvocations: Record<string, number> & { total: number };
    dynamoReads: number;
    dynamoWrites: number;
    executions: number;
    sms: Record<string, number>;
    emails: number;
    teamNotifications: number;
  };
  exposure: { loanMonthsSimulated: number; loanMonthsActive: number; loanYearsActive: number };
  perLoanYear: {
    stateTransitions: number;
    lambdaInvocations: number;
    dynamoReads: number;
    dynamoWrites: number;
    sms: number;
    emails: number;
    costUsd: number;
    platformCostUsd: number;
  };
  cost: { priceFile: string; checkedOn: string; region: string; currency: string; forecast: CostForecast; assumptions: string[] };
  agent: { minutesPerCall: number; minutesPerVisit: number; hours: number };
  run: SummaryInput['run'] & { simulatedLoanMonthsPerSecond: number; stateTransitionsPerSecond: number };
  /** Scripting errors met during the run (empty when the scripts all held). */
  scriptProblems: ScriptProblemOfRow[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Monday-to-Friday dates of `month` between `from` and `to` (YYYY-MM-DD, inclusive). */
export function workingDaysIn(month: string, from: string, to: string): number {
  let count = 0;
  const [y, m] = month.split('-').map(Number) as [number, number];
  for (let d = new Date(Date.UTC(y, m - 1, 1)); d.getUTCMonth() === m - 1; d = new Date(d.getTime() + 86_400_000)) {
    const day = d.toISOString().slice(0, 10);
    if (day < from || day > to) continue;
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

function sumCounts(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of list) for (const [k, n] of Object.entries(counts)) out[k] = (out[k] ?? 0) + n;
  return out;
}

export function buildSummary(input: SummaryInput): Summary {
  const { tally, usage, sent, prices } = input;
  const agentHours = (calls: number, visits: number) => round((calls * input.minutesPerCall + visits * input.minutesPerVisit) / 60, 1);
  const peakOf = (days: [string, number][]) =>
    days.reduce<{ date: string; calls: number } | null>((best, [date, calls]) => (!best || calls > best.calls ? { date, calls } : best), null);
  const callsByDay = Object.entries(tally.callsByDay).sort(([a], [b]) => (a < b ? -1 : 1));
  const keys = monthsBetween(input.firstDay.slice(0, 7), input.horizonDay.slice(0, 7));
  const months: MonthSummary[] = keys.map((month) => {
    const m = tally.months[month] ?? emptyMonth();
    const workingDays = workingDaysIn(month, input.firstDay, input.horizonDay);
    return {
      month,
      workingDays,
      messages: { SMS: m.messages.SMS ?? 0, EMAIL: m.messages.EMAIL ?? 0 },
      messagesByPurpose: m.messagesByPurpose,
      callbacks: { created: m.callbacksCreated, completed: m.callbacksCompleted, outcomes: m.callbackOutcomes, overdue: m.callbacksOverdue },
      agentWorkload: {
        calls: m.calls,
        callsPerWorkingDay: workingDays > 0 ? round(m.calls / workingDays, 1) : 0,
        peakDay: peakOf(callsByDay.filter(([date]) => date.startsWith(month))),
        fieldVisits: m.fieldVisits,
        reviews: m.reviews,
        agentHours: agentHours(m.calls, m.fieldVisits),
      },
      warnings: m.warnings,
      legalReferrals: m.legalReferrals,
      payments: m.payments,
      loansOnboarded: m.loansOnboarded,
      loansClosed: m.loansClosed,
      contactSuppressed: m.contactSuppressed,
      classification: Object.fromEntries(CLASSIFICATION_ORDER.map((c) => [c, m.classification[c] ?? 0])),
      promises: { made: m.promisesMade ?? 0, kept: m.promisesKept ?? 0, broken: m.promisesBroken ?? 0 },
      collections: {
        episodesStarted: m.episodesStarted ?? 0,
        episodesEnded: m.episodesEnded ?? {},
        byTier: Object.fromEntries(
          COLLECTION_TIERS.map((tier) => [
            tier,
            { calls: m.collectionCalls?.[tier] ?? 0, sms: m.collectionMessages?.[tier]?.SMS ?? 0, emails: m.collectionMessages?.[tier]?.EMAIL ?? 0 },
          ]),
        ),
      },
      legalCasesClosed: m.legalCasesClosed ?? {},
      loansClosedByReason: m.loansClosedByReason ?? {},
      restructures: m.restructures ?? 0,
      recalls: m.recalls ?? 0,
      revaluations: m.revaluations ?? 0,
      collateralShortfalls: m.collateralShortfalls ?? 0,
      reRatings: m.reRatings ?? 0,
    };
  });
  const episodesStarted = sum(months, (m) => m.collections.episodesStarted);
  const episodesEnded = sumCounts(months.map((m) => m.collections.episodesEnded));
  const rollRates: RollRate[] = DPD_BUCKETS.slice(0, -1).map((bucket, i) => {
    const counts = tally.rolls?.[bucket.name] ?? { reached: 0, rolled: 0, censored: 0 };
    const episodes = counts.reached - counts.censored;
    return {
      from: bucket.name,
      to: DPD_BUCKETS[i + 1]!.name,
      episodes,
      rolled: counts.rolled,
      censored: counts.censored,
      rate: episodes > 0 ? round(counts.rolled / episodes, 4) : null,
    };
  });

  const calls = months.reduce((n, m) => n + m.agentWorkload.calls, 0);
  const visits = months.reduce((n, m) => n + m.agentWorkload.fieldVisits, 0);
  const workingDays = months.reduce((n, m) => n + m.workingDays, 0);
  const lambdaTotal = Object.values(usage.lambdaInvocations).reduce((a, b) => a + b, 0);
  const smsTotal = Object.values(sent.sms).reduce((a, b) => a + b, 0);
  const forecast = forecastCost(
    {
      stateTransitions: usage.stateTransitions,
      lambdaInvocations: lambdaTotal,
      dynamoReads: usage.dynamoReads,
      dynamoWrites: usage.dynamoWrites,
      sms: sent.sms,
      emails: sent.email,
      teamPublishes: sent.team,
    },
    prices,
  );
  const loanYears = tally.loanMonthsActive / 12;
  const perYear = (n: number, digits = 1) => (loanYears > 0 ? round(n / loanYears, digits) : 0);
  const simulatedLoanMonths = input.loanMonthsSimulated;
  return {
    portfolio: { ...input.portfolio, seed: input.seed, store: input.store, policyFile: input.policyFile, from: input.firstDay, until: input.horizonDay },
    months,
    totals: {
      workingDays,
      messages: { SMS: sum(months, (m) => m.messages.SMS), EMAIL: sum(months, (m) => m.messages.EMAIL) },
      messagesByPurpose: mergeNested(months.map((m) => m.messagesByPurpose)),
      callbacks: {
        created: sumCounts(months.map((m) => m.callbacks.created)),
        completed: sumCounts(months.map((m) => m.callbacks.completed)),
        outcomes: sumCounts(months.map((m) => m.callbacks.outcomes)),
        overdue: sumCounts(months.map((m) => m.callbacks.overdue)),
      },
      agentWorkload: {
        calls,
        callsPerWorkingDay: workingDays > 0 ? round(calls / workingDays, 1) : 0,
        peakDay: peakOf(callsByDay),
        fieldVisits: visits,
        reviews: sum(months, (m) => m.agentWorkload.reviews),
        agentHours: agentHours(calls, visits),
      },
      warnings: sumCounts(months.map((m) => m.warnings)),
      legalReferrals: sum(months, (m) => m.legalReferrals),
      payments: sum(months, (m) => m.payments),
      loansOnboarded: sum(months, (m) => m.loansOnboarded),
      loansClosed: sum(months, (m) => m.loansClosed),
      contactSuppressed: sumCounts(months.map((m) => m.contactSuppressed)),
      classificationAtHorizon: months.at(-1)?.classification ?? {},
      promises: { made: sum(months, (m) => m.promises.made), kept: sum(months, (m) => m.promises.kept), broken: sum(months, (m) => m.promises.broken) },
      collections: {
        episodesStarted,
        episodesEnded,
        byTier: Object.fromEntries(
          COLLECTION_TIERS.map((tier) => [
            tier,
            {
              calls: sum(months, (m) => m.collections.byTier[tier]!.calls),
              sms: sum(months, (m) => m.collections.byTier[tier]!.sms),
              emails: sum(months, (m) => m.collections.byTier[tier]!.emails),
            },
          ]),
        ),
        cureRate: episodesStarted > 0 ? round((episodesEnded.CURED ?? 0) / episodesStarted, 4) : null,
        rollRates,
      },
      legalCasesClosed: sumCounts(months.map((m) => m.legalCasesClosed)),
      loansClosedByReason: sumCounts(months.map((m) => m.loansClosedByReason)),
      restructures: sum(months, (m) => m.restructures),
      recalls: sum(months, (m) => m.recalls),
      revaluations: sum(months, (m) => m.revaluations),
      collateralShortfalls: sum(months, (m) => m.collateralShortfalls),
      reRatings: sum(months, (m) => m.reRatings),
      legal: { casesOpened: sum(months, (m) => m.legalReferrals), casesClosed: sumCounts(months.map((m) => m.legalCasesClosed)) },
    },
    usage: {
      stateTransitions: usage.stateTransitions,
      lambdaInvocations: { ...usage.lambdaInvocations, total: lambdaTotal },
      dynamoReads: usage.dynamoReads,
      dynamoWrites: usage.dynamoWrites,
      executions: usage.executions,
      sms: sent.sms,
      emails: sent.email,
      teamNotifications: sent.team,
    },
    exposure: { loanMonthsSimulated: round(simulatedLoanMonths, 1), loanMonthsActive: round(tally.loanMonthsActive, 1), loanYearsActive: round(loanYears, 2) },
    perLoanYear: {
      stateTransitions: perYear(usage.stateTransitions),
      lambdaInvocations: perYear(lambdaTotal),
      dynamoReads: perYear(usage.dynamoReads),
      dynamoWrites: perYear(usage.dynamoWrites),
      sms: perYear(smsTotal),
      emails: perYear(sent.email),
      costUsd: perYear(forecast.total, 6),
      platformCostUsd: perYear(forecast.platform, 6),
    },
    cost: {
      priceFile: 'local/simulate/aws-prices.json',
      checkedOn: prices.checkedOn,
      region: prices.region,
      currency: prices.currency,
      forecast: Object.fromEntries(Object.entries(forecast).map(([k, v]) => [k, round(v, 6)])) as unknown as CostForecast,
      assumptions: [prices.lambda.assumption, prices.dynamodb.assumption, prices.sms.assumption, prices.sns.assumption],
    },
    agent: { minutesPerCall: input.minutesPerCall, minutesPerVisit: input.minutesPerVisit, hours: agentHours(calls, visits) },
    run: {
      ...input.run,
      simulatedLoanMonthsPerSecond: input.run.simulationSeconds > 0 ? round(simulatedLoanMonths / input.run.simulationSeconds, 0) : 0,
      stateTransitionsPerSecond: input.run.simulationSeconds > 0 ? round(usage.stateTransitions / input.run.simulationSeconds, 0) : 0,
    },
    scriptProblems: input.scriptProblems ?? [],
  };
}

function sum<T>(list: T[], f: (t: T) => number): number {
  return list.reduce((n, t) => n + f(t), 0);
}

function mergeNested(list: Record<string, Record<string, number>>[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const nested of list) for (const [k, counts] of Object.entries(nested)) out[k] = sumCounts([out[k] ?? {}, counts]);
  return out;
}

/** Months of `loan` from disbursement to the horizon (at least 0). */
export function monthsToHorizon(disbursedAt: string, until: Date): number {
  return Math.max(0, until.getTime() - Date.parse(disbursedAt)) / MONTH_MS;
}

const pad = (value: string | number, width: number) => String(value).padStart(width);

/** The printed report: one line a month, then totals, usage and the bill. */
export function formatReport(summary: Summary): string {
  const lines: string[] = [];
  const p = summary.portfolio;
  lines.push(
    `Portfolio ${p.file}: ${p.loans} loans (${p.scripted} scripted, ${p.drawn} drawn with seed ${p.seed}), ${p.from} to ${p.until}, store ${p.store}${p.policyFile ? `, policy ${p.policyFile}` : ''}`,
  );
  lines.push('');
  lines.push(
    `${'month'.padEnd(7)} ${pad('SMS', 7)} ${pad('email', 7)} ${pad('cb new', 7)} ${pad('calls', 7)} ${pad('/wday', 6)} ${'peak day'.padEnd(16)} ${pad('visits', 6)} ${pad('warn P/I/A', 11)} ${pad('legal', 5)}  classification N/SM/SS/D/L (open loans)`,
  );
  for (const m of summary.months) {
    const created = Object.values(m.callbacks.created).reduce((a, b) => a + b, 0);
    const w = m.warnings;
    const peak = m.agentWorkload.peakDay ? `${m.agentWorkload.peakDay.date} (${m.agentWorkload.peakDay.calls})` : '-';
    const c = m.classification;
    lines.push(
      `${m.month.padEnd(7)} ${pad(m.messages.SMS, 7)} ${pad(m.messages.EMAIL, 7)} ${pad(created, 7)} ${pad(m.agentWorkload.calls, 7)} ${pad(m.agentWorkload.callsPerWorkingDay, 6)} ${peak.padEnd(16)} ${pad(m.agentWorkload.fieldVisits, 6)} ${pad(`${w.PRIMARY ?? 0}/${w.INTERMEDIATE ?? 0}/${w.ADVANCED ?? 0}`, 11)} ${pad(m.legalReferrals, 5)}  ${CLASSIFICATION_ORDER.map((k) => c[k] ?? 0).join('/')}`,
    );
  }
  lines.push('');
  const purposes = [
    'FIRST_CONTACT',
    'DAY30_CHECK',
    'DAY60_CHECK',
    'PERIODIC',
    'COLLECTION',
    'FIELD_VISIT',
    'RESTRUCTURE_REVIEW',
    'COLLATERAL_REVIEW',
    'RECALL_REVIEW',
    'PRE_LEGAL_REVIEW',
    'LEGAL_FOLLOW_UP',
  ];
  const short = ['first', 'day30', 'day60', 'periodic', 'collect', 'visit', 'restruct', 'collat', 'recall', 'prelegal', 'legalfu'];
  lines.push(`${'callbacks created'.padEnd(17)} ${short.map((h) => h.padStart(8)).join(' ')}   overdue`);
  for (const m of summary.months) {
    const overdue = Object.values(m.callbacks.overdue).reduce((a, b) => a + b, 0);
    lines.push(`${m.month.padEnd(17)} ${purposes.map((p) => pad(m.callbacks.created[p] ?? 0, 8)).join(' ')}   ${pad(overdue, 7)}`);
  }
  const t = summary.totals;
  lines.push('');
  lines.push(
    `Messages: ${t.messages.SMS} SMS, ${t.messages.EMAIL} emails (${Object.entries(t.messagesByPurpose)
      .map(([purpose, byChannel]) => `${purpose} ${byChannel.SMS ?? 0}/${byChannel.EMAIL ?? 0}`)
      .join(', ')} as SMS/email)`,
  );
  lines.push(`Callbacks created: ${formatCounts(t.callbacks.created)}; overdue: ${formatCounts(t.callbacks.overdue) || 'none'}`);
  lines.push(
    `Agent workload: ${t.agentWorkload.calls} calls, ${t.agentWorkload.callsPerWorkingDay} per working day, peak ${t.agentWorkload.peakDay ? `${t.agentWorkload.peakDay.calls} on ${t.agentWorkload.peakDay.date}` : '-'}; ${t.agentWorkload.fieldVisits} field visits, ${t.agentWorkload.reviews} reviews; ${summary.agent.hours} agent hours (${summary.agent.minutesPerCall} min a call, ${summary.agent.minutesPerVisit} a visit)`,
  );
  lines.push(
    `Warnings: ${formatCounts(t.warnings) || 'none'}; legal referrals: ${t.legalReferrals}; contact suppressed: ${formatCounts(t.contactSuppressed) || 'never'}`,
  );
  lines.push(
    `Payments: ${t.payments}; loans closed: ${t.loansClosed}${t.loansClosed ? ` (${formatCounts(t.loansClosedByReason)})` : ''}; at the horizon: ${CLASSIFICATION_ORDER.map((k) => `${k} ${t.classificationAtHorizon[k] ?? 0}`).join(', ')}`,
  );
  const c = t.collections;
  const tiers = (f: (x: { calls: number; sms: number; emails: number }) => number) => COLLECTION_TIERS.map((tier) => f(c.byTier[tier]!)).join('/');
  const uncured = Object.entries(c.episodesEnded).filter(([how]) => how !== 'CURED');
  lines.push(
    `Collections: ${c.episodesStarted} episodes, ${c.episodesEnded.CURED ?? 0} cured (cure rate ${percent(c.cureRate)})${uncured.length ? `, ended uncured: ${formatCounts(Object.fromEntries(uncured))}` : ''}; by tier early/middle/late: calls ${tiers((x) => x.calls)}, SMS ${tiers((x) => x.sms)}, emails ${tiers((x) => x.emails)}`,
  );
  const censored = c.rollRates.reduce((n, r) => n + r.censored, 0);
  lines.push(
    `Roll rates (episodes by days past due): ${c.rollRates.map((r) => `${r.from}→${r.to} ${r.rolled}/${r.episodes} (${percent(r.rate)})`).join(', ')}${censored ? `; ${censored} still in a bucket at the horizon` : ''}`,
  );
  lines.push(`Promises to pay: ${t.promises.made} made, ${t.promises.kept} kept, ${t.promises.broken} broken`);
  const changedMonths = summary.months.filter((m) => m.restructures > 0 || m.recalls > 0).map((m) => `${m.month} ${m.restructures}/${m.recalls}`);
  lines.push(
    `Schedules changed: ${t.restructures} restructured, ${t.recalls} recalled${changedMonths.length ? ` (restructured/recalled by month: ${changedMonths.join(', ')})` : ''}`,
  );
  const steeredMonths = summary.months
    .filter((m) => m.revaluations > 0 || m.reRatings > 0)
    .map((m) => `${m.month} ${m.collateralShortfalls}/${m.revaluations}/${m.reRatings}`);
  lines.push(
    `Collateral and ratings: ${t.revaluations} revaluations, ${t.collateralShortfalls} collateral shortfalls, ${t.reRatings} re-ratings${steeredMonths.length ? ` (shortfalls/revaluations/re-ratings by month: ${steeredMonths.join(', ')})` : ''}`,
  );
  lines.push(
    `Legal cases: ${t.legal.casesOpened} opened, ${Object.values(t.legal.casesClosed).reduce((a, b) => a + b, 0)} closed${Object.keys(t.legal.casesClosed).length ? ` (${formatCounts(t.legal.casesClosed)})` : ''}`,
  );
  const u = summary.usage;
  lines.push('');
  lines.push(
    `Usage (counted): ${u.stateTransitions} state transitions, ${u.lambdaInvocations.total} Lambda invocations (${formatCounts(Object.fromEntries(Object.entries(u.lambdaInvocations).filter(([k]) => k !== 'total')))}), ${u.dynamoReads} DynamoDB reads, ${u.dynamoWrites} writes, ${u.executions} executions`,
  );
  const y = summary.perLoanYear;
  lines.push(
    `Per loan-year (${summary.exposure.loanYearsActive} loan-years followed): ${y.stateTransitions} transitions, ${y.lambdaInvocations} invocations, ${y.dynamoReads} reads, ${y.dynamoWrites} writes, ${y.sms} SMS, ${y.emails} emails`,
  );
  const f = summary.cost.forecast;
  lines.push(
    `AWS forecast (${summary.cost.region}, prices of ${summary.cost.checkedOn}): ${usd(f.total)} = Step Functions ${usd(f.stepFunctions)} + Lambda ${usd(f.lambdaRequests + f.lambdaCompute)} + DynamoDB ${usd(f.dynamodbReads + f.dynamodbWrites)} + SMS ${usd(f.sms)} + email ${usd(f.email)} + SNS ${usd(f.sns)}; ${usd(y.costUsd)} per loan-year (${usd(y.platformCostUsd)} without messages)`,
  );
  if (summary.scriptProblems.length > 0) {
    lines.push('');
    lines.push(`Script problems (${summary.scriptProblems.length}: what the script asked for, the product refused, and the run went on without it):`);
    for (const p of summary.scriptProblems) lines.push(`  line ${p.line}: loan ${p.loanId}: ${p.field}: ${p.reason}`);
  }
  const r = summary.run;
  lines.push(
    `Run: ${r.simulationSeconds.toFixed(1)} s simulating (${r.wallSeconds.toFixed(1)} s in all, ${r.cpuSeconds.toFixed(1)} s of CPU${r.storeCpuSeconds === undefined ? '' : `, DynamoDB Local ${r.storeCpuSeconds.toFixed(1)} s more`}), ${r.simulatedLoanMonthsPerSecond} loan-months/s, ${r.stateTransitionsPerSecond} transitions/s, ${r.workers || 'no'} worker threads, ${r.batches} batches`,
  );
  return lines.join('\n');
}

function percent(rate: number | null): string {
  return rate === null ? '-' : `${round(rate * 100, 1)}%`;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}
