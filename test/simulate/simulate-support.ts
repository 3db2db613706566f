import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation, type SimulationOptions, type SimulationResult } from '../../local/simulate/run-simulation.js';
import type { ExportedEvent } from '../../local/simulate/timeline-export.js';

export const STORY_HEADER = 'loanId,product,riskRating,principal,annualRate,termMonths,disbursedAt,timezone,phone,email,payments,reports,answerRate';

/** A scratch folder per test file, removed by the returned cleanup. */
export function scratchDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `simulate-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writePortfolio(dir: string, name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export interface SimulationRun extends SimulationResult {
  events: ExportedEvent[];
  timelineText: string;
}

/** `npm run simulate` in this process: memory store, no worker threads, no progress bar. */
export async function simulate(options: Partial<SimulationOptions> & Pick<SimulationOptions, 'portfolioFile' | 'until' | 'outDir'>): Promise<SimulationRun> {
  const result = await runSimulation({ seed: 1, store: 'memory', minutesPerCall: 6, minutesPerVisit: 90, workers: 0, progress: false, ...options });
  const timelineText = readFileSync(result.files.timeline!, 'utf8');
  const events = timelineText
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ExportedEvent);
  return { ...result, events, timelineText };
}

/** One readable line per record: local time to the minute, type, and what matters about it. */
export function eventLine(event: ExportedEvent): string {
  const e = event as Record<string, any>;
  const detail = (() => {
    switch (event.type) {
      case 'MESSAGE_SENT':
        return `${e.channel} ${e.purpose}`;
      case 'CALLBACK_CREATED':
      case 'CALLBACK_OVERDUE':
      case 'CALLBACK_CANCELLED':
        return e.purpose;
      case 'CALLBACK_COMPLETED':
      case 'CALLBACK_ATTEMPTED':
        return `${e.purpose} ${e.outcome}`;
      case 'WARNING_RAISED':
        return e.level;
      case 'CLASSIFICATION_CHANGED':
        return `${e.from}->${e.to}`;
      case 'CONTACT_SUPPRESSED':
        return `${e.channel} ${e.purpose} ${e.reason}`;
      case 'PAYMENT_RECEIVED':
        return `${e.amount}${e.payoff ? ' payoff' : ''}`;
      case 'LEGAL_REFERRAL':
        return `${e.caseId} dpd ${e.dpd}`;
      case 'TEAM_NOTIFIED':
        return `${e.team} ${e.reason}`;
      case 'PHASE_CHANGED':
        return `${e.from}->${e.to}`;
      case 'COLLECTION_STARTED':
        return `E${e.episode} dpd ${e.dpd}`;
      case 'COLLECTION_ENDED':
        return `E${e.episode} ${e.cured ? 'cured' : (e.reason ?? 'not cured')}`;
      case 'LOAN_CLOSED':
        return e.reason;
      case 'PROMISE_MADE':
      case 'PROMISE_KEPT':
      case 'PROMISE_BROKEN':
        return `${e.date} ${e.amount}`;
      case 'REVIEW_DECIDED':
        return `${e.purpose} ${e.outcome}`;
      case 'LEGAL_EVENT':
        return e.event;
      case 'LEGAL_CASE_CLOSED':
        return e.outcome;
      case 'ANOMALY_REPORTED':
        return e.findings.join(',');
      default:
        return '';
    }
  })();
  return `${event.at.slice(0, 16)} ${event.type}${detail ? ` ${detail}` : ''}`;
}
