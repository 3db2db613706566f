// The console in real headless Chromium against `npm start`'s server (memory store, paused demo clock): an agent
// works the queue, a legal user sees a referral, and an agent is kept out of the referral list; a collector
// records a promise through the date picker the policy bounds, and a legal user records a case's course and end;
// on a loan's page an agent adds a callback by hand and works it, and a risk officer re-rates the loan.
// `npm run screenshots` refreshes docs/screenshots/*.png from this run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPortfolio } from '../../local/portfolio-file.js';
import { startOperationsHarness, type OperationsHarness } from '../support/operations-harness.js';
import { loanRequestBody } from '../support/loans.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = process.env.SCREENSHOTS === 'update' ? resolve('docs/screenshots') : mkdtempSync(join(tmpdir(), 'loan-followup-shots-'));

let api: OperationsHarness;
let profile: string;
let browser: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error('Chromium is missing: apt-get install -y chromium (.ci/run installs it)');
  api = await startOperationsHarness({ start: '2026-01-12T03:00:00Z', portfolio: readPortfolio('local/sample-portfolio.csv') });
  profile = mkdtempSync(join(tmpdir(), 'loan-followup-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function logIn(username: string, group: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(api.url);
  await page.getByLabel(/User name|用户名/).fill(username);
  await page.getByLabel(/^Group$|角色组/).selectOption(group);
  await page.getByRole('button', { name: /Sign in|登录/ }).click();
  await page.getByTestId('user').waitFor();
  return page;
}

describe('the console in Chromium', () => {
  it('an agent opens the queue, records a first contact, and sees the loan move on', async () => {
    const page = await logIn('li.na', 'agent');
    const queue = page.getByTestId('queue');
    await queue.waitFor();
    const row = page.locator('tr[data-task="CAR-0003.FIRST_CONTACT"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-contact]').getAttribute('data-contact')).toBe('allowed');

    await page.getByTestId('purpose-filter').selectOption('FIRST_CONTACT');
    await expect.poll(async () => (await page.locator('tbody tr').allTextContents()).every((text) => text.includes('First contact'))).toBe(true);
    await page.locator('th[data-sort=loan]').click();
    await page.locator('th.sorted[data-sort=loan]').waitFor();
    const loans = await page.locator('tbody tr td:nth-child(2) a').allTextContents();
    expect(loans.length).toBeGreaterThan(1);
    expect(loans).toEqual([...loans].sort());

    await row.getByTestId('record').click();
    const form = page.getByTestId('outcome-form');
    await form.waitFor();
    await expect.poll(() => page.getByTestId('script').textContent()).toContain('vehicle');
    await form.getByLabel('Reached').check();
    for (const finding of ['Funds received', 'Vehicle delivered', 'Contact details confirmed']) await form.getByLabel(finding).check();
    await form.locator('textarea[name=notes]').fill('Car delivered, borrower happy');
    // The first save reaches the API but its answer is lost on the way back; the agent saves again.
    const sent: unknown[] = [];
    await page.route(
      '**/api/tasks/*/outcome',
      async (route) => {
        sent.push(route.request().postDataJSON());
        await route.fetch();
        await route.abort('connectionreset');
      },
      { times: 1 },
    );
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => sent.length).toBe(1);
    await expect.poll(() => form.getByRole('button', { name: 'Save' }).isEnabled()).toBe(true);
    page.on('request', (request) => void (request.url().endsWith('/outcome') && sent.push(request.postDataJSON())));
    await form.getByRole('button', { name: 'Save' }).click();

    // The loan page: the call is on the timeline by the agent, and the day-30 check is next.
    await page.getByTestId('loan-title').waitFor();
    expect(page.url()).toContain('#/loans/CAR-0003');
    await expect.poll(() => page.locator('tr[data-task="CAR-0003.FIRST_CONTACT"]').getAttribute('data-status')).toBe('DONE');
    expect(await page.getByTestId('timeline').textContent()).toContain('Callback done: First contact (Reached) (li.na)');
    // Both saves carried the form's one requestId: the call is recorded once.
    expect(sent).toHaveLength(2);
    expect((sent[0] as { requestId: string }).requestId).toMatch(/^[0-9a-f]{32}$/);
    expect((sent[1] as { requestId: string }).requestId).toBe((sent[0] as { requestId: string }).requestId);
    expect(await page.locator('tr[data-task="CAR-0003.FIRST_CONTACT"]').count()).toBe(1);
    expect((await page.getByTestId('timeline').textContent())!.match(/Callback done: First contact/g)).toHaveLength(1);
    expect(await page.getByTestId('next-action').textContent()).toMatch(/Day-30 check|Payment|reminder/);
    expect(await page.locator('svg.chart [data-kind=callback]').count()).toBeGreaterThan(0);

    // A month later on the demo clock, its next task is in the queue.
    await api.demo.advance(30);
    await page.goto(`${api.url}#/queue`);
    await page.getByTestId('purpose-filter').selectOption('DAY30_CHECK');
    await expect.poll(() => page.locator('tr[data-task="CAR-0003.DAY30_CHECK"]').count()).toBe(1);
    expect(await page.locator('tr[data-task="CAR-0003.FIRST_CONTACT"]').count()).toBe(0);
    await page.close();
  });

  it('shows the queue and a loan page with its timeline chart (the README screenshots)', async () => {
    // Four months on: payments, late instalments, collection calls and warnings.
    await api.demo.advance(90);
    const page = await logIn('wang.fang', 'risk');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByTestId('queue').waitFor();
    await page.getByTestId('clock-now').waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(3);
    await page.screenshot({ path: join(SHOTS, 'queue.png') });

    await page.getByRole('button', { name: 'EN' }).click();
    await page.goto(`${api.url}#/loans/CAR-0002`);
    await page.getByTestId('loan-title').waitFor();
    expect(await page.locator('svg.chart [data-kind=payment]').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.chart [data-kind=instalment]').count()).toBe(48);
    await page.screenshot({ path: join(SHOTS, 'loan.png'), fullPage: false });
    await page.close();
  });

  it('a legal user sees the referral and can download its package; an agent cannot open the list', async () => {
    // Evasion refers a loan to the legal team at once.
    expect((await api.call('POST', '/api/loans/CON-0003/events', { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['evasion'] } })).status).toBe(202);
    await api.app.runtime.whenIdle();

    const legal = await logIn('zhao.lei', 'legal');
    expect(legal.url()).toContain('#/referrals');
    await legal.getByTestId('referrals').waitFor();
    const referral = legal.locator('tr[data-case="CASE-CON-0003"]');
    expect(await referral.count()).toBe(1);
    const download = legal.waitForEvent('download');
    await referral.getByRole('button', { name: 'Download package' }).click();
    expect((await download).suggestedFilename()).toBe('CASE-CON-0003.json');
    // The legal team works its own queue (legal follow-ups), not the agents'.
    expect(await legal.locator('nav').textContent()).toContain('Work queue');
    await legal.goto(`${api.url}#/queue`);
    await legal.getByTestId('queue-filter').waitFor();
    expect(
      await legal
        .getByTestId('queue-filter')
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual(['', 'legal']);
    await legal.close();

    const agent = await logIn('li.na', 'agent');
    expect(await agent.locator('nav').textContent()).not.toContain('Legal referrals');
    await agent.goto(`${api.url}#/referrals`);
    const error = agent.getByTestId('error');
    await error.waitFor();
    expect(await error.getAttribute('data-status')).toBe('403');
    expect(await error.textContent()).toContain('You are not allowed to see this page.');
    await agent.close();
  });
});

describe('collections in the console', () => {
  it('lists the collection queues by tier, and a collector records a promise through the date picker, bounded by the policy', async () => {
    const queue = (await api.call('GET', '/api/tasks?purpose=COLLECTION', { as: 'risk' })).body as {
      queues: string[];
      tasks: { taskId: string; loanId: string; queue: string; contactNow: { allowed: boolean } | null; promiseLatestDate: string }[];
    };
    const task = queue.tasks.find((t) => t.contactNow?.allowed);
    expect(task, JSON.stringify(queue.tasks.map((t) => [t.taskId, t.queue, t.contactNow]))).toBeDefined();
    const loanBefore = (await api.call('GET', `/api/loans/${task!.loanId}`, { as: 'risk' })).body;
    expect(loanBefore.promiseLatestDate).toBe(task!.promiseLatestDate);

    const page = await logIn('wang.fang', 'risk');
    await page.getByTestId('queue').waitFor();
    const filter = page.getByTestId('queue-filter');
    expect(await filter.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([
      '',
      'callback',
      'field',
      'collection_early',
      'collection_middle',
      'collection_late',
      'review',
    ]);
    await filter.selectOption(task!.queue);
    await expect.poll(() => page.locator(`tr[data-task="${task!.taskId}"]`).count()).toBe(1);
    const queues = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.queue));
    expect(new Set(queues)).toEqual(new Set([task!.queue]));
    expect(await page.locator(`tr[data-task="${task!.taskId}"]`).textContent()).toMatch(/Collections, DPD/);

    await page.locator(`tr[data-task="${task!.taskId}"]`).getByTestId('record').click();
    const form = page.getByTestId('outcome-form');
    await form.waitFor();
    expect(await form.locator('select[name=decision]').count()).toBe(0);
    await form.getByLabel('Reached').check();
    await form.getByLabel('Promise to pay', { exact: true }).check();
    const picker = form.getByLabel('Promised date');
    expect(await picker.getAttribute('max')).toBe(loanBefore.promiseLatestDate);
    expect(await picker.getAttribute('min')).toBe(loanBefore.promiseEarliestDate);
    expect(await picker.getAttribute('type')).toBe('date');

    // A day past the bound: the picker refuses it and nothing is sent.
    const dayAfter = new Date(Date.parse(`${loanBefore.promiseLatestDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const sent: unknown[] = [];
    page.on('request', (request) => void (request.url().endsWith('/outcome') && sent.push(request.postDataJSON())));
    await picker.fill(dayAfter);
    expect(await picker.evaluate((input) => (input as HTMLInputElement).validity.rangeOverflow)).toBe(true);
    await form.getByLabel('Promised amount').fill('800');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => form.locator('[data-error="promise.date"]').textContent())
      .toContain(`between ${loanBefore.promiseEarliestDate} and ${loanBefore.promiseLatestDate}`);
    expect(sent).toEqual([]);

    // The last day the policy allows is taken.
    await picker.fill(loanBefore.promiseLatestDate);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('loan-title').waitFor();
    expect(sent).toEqual([
      expect.objectContaining({ outcome: 'REACHED', findings: ['promise_to_pay'], promise: { date: loanBefore.promiseLatestDate, amount: 800 } }),
    ]);
    await api.app.runtime.whenIdle();
    await page.reload();
    await page.getByTestId('loan-title').waitFor();
    await expect.poll(() => page.getByTestId('promise').textContent()).toContain(loanBefore.promiseLatestDate);
    expect(await page.getByTestId('phase').textContent()).toBe('Collections');
    expect(await page.getByTestId('episode').textContent()).toMatch(/^no\. \d+ since/);
    expect(await page.getByTestId('timeline').textContent()).toContain(`Promise to pay 800.00 by ${loanBefore.promiseLatestDate}`);
    await page.close();
  });

  it('a legal user records a hearing and then a write-off on the case page; the loan closes and the case takes no more', async () => {
    const legal = await logIn('zhao.lei', 'legal');
    await legal.getByTestId('referrals').waitFor();
    await legal.locator('tr[data-case="CASE-CON-0003"]').getByTestId('open-case').click();
    await legal.getByTestId('case-title').waitFor();
    expect(await legal.getByTestId('case-title').textContent()).toContain('Case CASE-CON-0003');
    expect(await legal.getByTestId('case-history').textContent()).toContain('Referred to legal CASE-CON-0003');
    const form = legal.getByTestId('legal-event-form');

    await form.getByLabel('Event').selectOption('hearing_scheduled');
    expect(await form.getByLabel('Amount').isVisible()).toBe(false);
    await form.getByLabel('Date').fill('2026-06-15');
    await form.getByRole('button', { name: 'Record' }).click();
    await expect
      .poll(() => legal.getByTestId('case-history').textContent(), { timeout: 15_000 })
      .toContain('Legal CASE-CON-0003: Hearing scheduled · 2026-06-15 (zhao.lei)');

    // Settled needs the amount: the API's refusal shows under the field.
    await form.getByLabel('Event').selectOption('settled');
    expect(await form.getByLabel('Amount').isVisible()).toBe(true);
    await form.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => form.locator('[data-error="amount"]').textContent()).toContain('must give the amount settled or recovered');

    await form.getByLabel('Event').selectOption('written_off');
    await form.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => legal.getByTestId('case-status').textContent(), { timeout: 15_000 }).toBe('closed');
    expect(await legal.getByTestId('closed-reason').textContent()).toContain('written off');
    const history = await legal.getByTestId('case-history').textContent();
    expect(history).toContain('Legal CASE-CON-0003: Written off');
    expect(history).toContain('Case CASE-CON-0003 closed: Written off');
    expect(history).toContain('Loan closed (written off)');
    expect(await legal.getByTestId('case-closed').isVisible()).toBe(true);
    expect(await form.getByRole('button', { name: 'Record' }).isDisabled()).toBe(true);
    const view = (await api.call('GET', '/api/loans/CON-0003', { as: 'legal' })).body;
    expect(view).toMatchObject({ status: 'CLOSED', closedReason: 'WRITTEN_OFF', classification: 'LOSS' });
    await legal.close();
  });
});

describe('restructuring in the console', () => {
  it('a risk officer previews a 6-month extension on a restructure review, sees a plan past the bound refused by field, agrees it, and the loan page shows the new last due date', async () => {
    // A loan paid out now whose borrower reports hardship: a RESTRUCTURE_REVIEW for risk.
    const now = (await api.call('GET', '/api/tasks', { as: 'risk' })).body.now as string;
    const loan = loanRequestBody({ loanId: 'CON-RS-1', disbursedAt: now });
    expect((await api.call('POST', '/api/loans', { as: 'admin', body: loan })).status).toBe(201);
    await api.app.runtime.whenIdle();
    expect((await api.call('POST', '/api/loans/CON-RS-1/events', { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['hardship'] } })).status).toBe(
      202,
    );
    await api.app.runtime.whenIdle();
    const before = (await api.call('GET', '/api/loans/CON-RS-1', { as: 'risk' })).body;
    const review = before.tasks.find((t: { purpose: string; status: string }) => t.purpose === 'RESTRUCTURE_REVIEW' && t.status === 'OPEN');
    expect(review, JSON.stringify(before.tasks)).toBeDefined();
    const expected = (await api.call('POST', '/api/loans/CON-RS-1/restructure/preview', { as: 'risk', body: { extendMonths: 6 } })).body;
    expect(expected.instalments).toBe(18);
    expect(before.schedule.map((i: { dueDate: string }) => i.dueDate)).not.toContain(expected.lastDueDate);

    const page = await logIn('wang.fang', 'risk');
    await page.goto(`${api.url}#/tasks/${encodeURIComponent(review.taskId)}`);
    const form = page.getByTestId('restructure-form');
    await form.waitFor();
    expect(await form.getByTestId('restructure-bounds').textContent()).toContain('at most 24 months’ extension');
    expect(await form.getByTestId('restructure-agree').isDisabled()).toBe(true);

    // Past the policy's bound: the API's refusal shows under the field, and nothing can be agreed.
    await form.getByLabel('Extension (months)').fill('30');
    await form.getByTestId('restructure-preview').click();
    await expect.poll(() => form.locator('[data-error="extendMonths"]').textContent()).toContain('at most 24');
    expect(await form.getByTestId('restructure-agree').isDisabled()).toBe(true);

    await form.getByLabel('Extension (months)').fill('6');
    await form.getByTestId('restructure-preview').click();
    await expect.poll(() => form.getByTestId('restructure-last').textContent()).toBe(expected.lastDueDate);
    expect(await form.locator('[data-error="extendMonths"]').textContent()).toBe('');
    expect(await form.getByTestId('restructure-first').textContent()).toBe(expected.firstDueDate);
    expect(await form.getByTestId('restructure-schedule').locator('tbody tr').count()).toBe(18);
    expect(await form.getByTestId('restructure-summary').textContent()).toContain('18 new instalments');
    // Nothing is written by a preview.
    expect((await api.call('GET', '/api/loans/CON-RS-1', { as: 'risk' })).body.schedule).toEqual(before.schedule);

    const sent: { requestId?: string }[] = [];
    page.on('request', (request) => void (request.url().endsWith('/restructure') && sent.push(request.postDataJSON())));
    await form.getByTestId('restructure-agree').click();
    await page.getByTestId('loan-title').waitFor();
    expect(page.url()).toContain('#/loans/CON-RS-1');
    expect(sent).toEqual([
      expect.objectContaining({ extendMonths: 6, annualRate: null, graceMonths: 0, arrears: 'keep_due', requestId: expect.stringMatching(/^[0-9a-f]{32}$/) }),
    ]);
    await expect.poll(() => page.locator('table').filter({ hasText: expected.lastDueDate }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('timeline').textContent()).toContain(`Restructured (schedule v1 → v2)`);
    expect(await page.getByTestId('timeline').textContent()).toContain(expected.lastDueDate);
    expect(await page.locator(`tr[data-task="${review.taskId}"]`).getAttribute('data-status')).toBe('DONE');
    await page.close();
  });
});

describe('steering a loan from its page', () => {
  const dayFrom = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  it('an agent adds a periodic callback by hand (a past due date is refused by field, nothing written), finds it in the queue and completes it; no re-rating form for an agent', async () => {
    const before = (await api.call('GET', '/api/loans/CAR-0001', { as: 'agent' })).body;
    expect(before).toMatchObject({ status: 'ACTIVE', riskRating: 'low' });
    const today = before.promiseEarliestDate as string;
    const page = await logIn('li.na', 'agent');
    await page.goto(`${api.url}#/loans/CAR-0001`);
    const form = page.getByTestId('task-form');
    await form.waitFor();
    expect(await page.getByTestId('rating-form').count()).toBe(0);
    expect(
      await form
        .getByLabel('Task')
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual(['PERIODIC', 'FIELD_VISIT']);

    // Yesterday in the borrower's zone: the API's refusal shows under the date, and no task is made.
    await form.getByLabel('Task').selectOption('PERIODIC');
    await form.getByLabel('Due by').fill(dayFrom(today, -1));
    await form.getByLabel(/^Note/).fill('Borrower asked for a call about the next instalment');
    await form.getByRole('button', { name: 'Add task' }).click();
    await expect.poll(() => form.locator('[data-error="dueBy"]').textContent()).toContain('must not be in the past');
    const after = (await api.call('GET', '/api/loans/CAR-0001', { as: 'agent' })).body;
    expect(after.tasks).toEqual(before.tasks);
    expect(after.timeline.length).toBe(before.timeline.length);

    await form.getByLabel('Due by').fill(dayFrom(today, 7));
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/loans/CAR-0001/tasks') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Add task' }).click();
    expect((await answer).status()).toBe(202);
    const { taskId } = (await (await answer).json()) as { taskId: string };
    // The loan page redraws once the loan's next step has made the task.
    const row = page.locator(`tr[data-task="${taskId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('OPEN');
    expect(await row.getByTestId('task-note').textContent()).toBe('added by li.na: Borrower asked for a call about the next instalment');
    expect(await page.locator('[data-testid=timeline] li[data-type=CALLBACK_CREATED]').first().textContent()).toContain(
      'Callback created: Periodic callback (li.na)',
    );

    await page.goto(`${api.url}#/queue`);
    await page.getByTestId('purpose-filter').selectOption('PERIODIC');
    const queued = page.locator(`tr[data-task="${taskId}"]`);
    await queued.waitFor();
    expect(await queued.getAttribute('data-queue')).toBe('callback');
    await queued.getByTestId('record').click();
    const outcome = page.getByTestId('outcome-form');
    await outcome.waitFor();
    await outcome.getByLabel('Reached').check();
    await outcome.getByLabel('Management change').check();
    await outcome.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('loan-title').waitFor();
    await expect.poll(() => page.locator(`tr[data-task="${taskId}"]`).getAttribute('data-status')).toBe('DONE');
    expect(await page.locator(`tr[data-task="${taskId}"]`).textContent()).toContain('Reached');
    expect(await page.getByTestId('timeline').textContent()).toContain('Callback done: Periodic callback (Reached) (li.na)');
    await page.close();
  });

  it('a risk officer re-rates a loan low → high with a reason; the loan page shows the new rating and RISK_RATING_CHANGED', async () => {
    const page = await logIn('wang.fang', 'risk');
    await page.goto(`${api.url}#/loans/CAR-0001`);
    const form = page.getByTestId('rating-form');
    await form.waitFor();
    expect(await page.getByTestId('risk-rating').textContent()).toBe('Low');
    expect(await form.getByTestId('rating-now').textContent()).toBe('Low');
    // Risk may also ask for the reviews by hand.
    expect(await page.getByTestId('task-form').getByLabel('Task').locator('option').count()).toBe(5);
    // The agent's finding suggested a rating, offered first.
    expect(await form.getByTestId('rating-suggestions').textContent()).toContain('Suggested: Medium (Management change');
    expect(await form.getByLabel('New rating').inputValue()).toBe('medium');

    // No reason: the API's refusal shows under the field.
    await form.getByLabel('New rating').selectOption('high');
    await form.getByRole('button', { name: 'Change rating' }).click();
    await expect.poll(() => form.locator('[data-error="reason"]').textContent()).toContain('must be one of');
    expect((await api.call('GET', '/api/loans/CAR-0001', { as: 'risk' })).body.riskRating).toBe('low');

    await form.getByLabel('Reason').selectOption('FINANCIAL_REVIEW');
    await form.getByRole('button', { name: 'Change rating' }).click();
    await expect.poll(() => page.getByTestId('risk-rating').textContent()).toBe('High');
    expect(await page.locator('[data-testid=timeline] li[data-type=RISK_RATING_CHANGED]').textContent()).toContain(
      'Risk rating changed: Low → High (Financial review) (wang.fang)',
    );
    expect(await page.getByTestId('rating-now').textContent()).toBe('High');
    expect(await page.getByTestId('rating-suggestions').count()).toBe(0);
    expect((await api.call('GET', '/api/loans/CAR-0001', { as: 'risk' })).body.riskRating).toBe('high');
    await page.close();
  });
});

describe('collateral in the console', () => {
  it('a risk officer answers the COLLATERAL_REVIEW a damaged car calls for: no valuation is refused by field; a low value shows on the loan page with the loan-to-value above the threshold, INTERMEDIATE, a RESTRUCTURE_REVIEW and the revaluation on the timeline', async () => {
    // A car loan of 100,000.00 paid out now, secured by a vehicle valued 125,000.00 (loan-to-value 80%); the borrower reports it damaged.
    const now = (await api.call('GET', '/api/tasks', { as: 'risk' })).body.now as string;
    const loan = loanRequestBody({
      loanId: 'CAR-CL-1',
      product: 'car',
      principal: 100000,
      annualRate: 0.06,
      termMonths: 24,
      disbursedAt: now,
      vehiclePlate: '沪A12345',
      vehicleVin: 'LSVAU218XN2183294',
      vehicleMake: 'BYD',
      vehicleModel: 'Qin PLUS',
      vehicleValue: 125000,
      vehicleValuedAt: now.slice(0, 10),
    });
    expect((await api.call('POST', '/api/loans', { as: 'admin', body: loan })).status).toBe(201);
    await api.app.runtime.whenIdle();
    expect(
      (await api.call('POST', '/api/loans/CAR-CL-1/events', { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['vehicle_damaged'] } })).status,
    ).toBe(202);
    await api.app.runtime.whenIdle();
    const before = (await api.call('GET', '/api/loans/CAR-CL-1', { as: 'risk' })).body;
    const review = before.tasks.find((t: { purpose: string; status: string }) => t.purpose === 'COLLATERAL_REVIEW' && t.status === 'OPEN');
    expect(review, JSON.stringify(before.tasks)).toBeDefined();
    expect(before.warningLevel).toBe('NONE');

    const page = await logIn('wang.fang', 'risk');
    await page.goto(`${api.url}#/loans/CAR-CL-1`);
    const collateral = page.getByTestId('collateral');
    await collateral.waitFor();
    expect(await collateral.getByTestId('collateral-type').textContent()).toBe('Vehicle');
    expect(await collateral.getByTestId('collateral-vehicle').textContent()).toBe('BYD Qin PLUS');
    expect(await collateral.getByTestId('collateral-plate').textContent()).toBe('沪A12345');
    expect(await collateral.getByTestId('collateral-vin').textContent()).toBe('LSVAU218XN2183294');
    expect(await collateral.getByTestId('collateral-value').textContent()).toContain('125,000.00');
    expect(await collateral.getByTestId('collateral-ltv').textContent()).toContain('80%');
    expect(await collateral.locator('[data-testid=collateral-ltv] [data-above]').getAttribute('data-above')).toBe('false');
    expect(await collateral.getByTestId('collateral-condition').textContent()).toBe('not inspected yet');
    await page.locator(`tr[data-task="${review.taskId}"]`).getByRole('link', { name: 'Record outcome' }).click();

    const form = page.getByTestId('outcome-form');
    await form.waitFor();
    expect(await form.getByTestId('valuation-now').textContent()).toContain('outstanding principal 100,000.00');
    const sent: unknown[] = [];
    page.on('request', (request) => void (request.url().endsWith('/outcome') && sent.push(request.postDataJSON())));
    // Reached without a valuation: the API's refusal shows under the valuation, and nothing is recorded.
    await form.getByLabel('Reached').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.locator('[data-error="valuation"]').textContent()).toContain("must give the collateral's value now");
    expect(sent).toEqual([expect.not.objectContaining({ valuation: expect.anything() })]);
    expect((await api.call('GET', '/api/loans/CAR-CL-1', { as: 'risk' })).body.tasks.find((t: { taskId: string }) => t.taskId === review.taskId).status).toBe(
      'OPEN',
    );

    // Worth 40,000.00 now and damaged: 100,000.00 outstanding over it is a loan-to-value of 250%, above 90%.
    await form.getByLabel('Value found').fill('40000');
    await form.getByLabel('Condition').selectOption('damaged');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('loan-title').waitFor();
    expect(sent[1]).toMatchObject({ outcome: 'REACHED', valuation: { value: 40000, condition: 'damaged' } });
    await api.app.runtime.whenIdle();
    await page.reload();
    await page.getByTestId('collateral').waitFor();
    expect(await page.getByTestId('collateral-value').textContent()).toContain('40,000.00');
    expect(await page.getByTestId('collateral-condition').textContent()).toBe('Damaged');
    expect(await page.getByTestId('collateral-onboarding').textContent()).toBe('125,000.00');
    const ltv = page.locator('[data-testid=collateral-ltv] [data-above]');
    expect(await ltv.getAttribute('data-above')).toBe('true');
    expect(await ltv.getAttribute('class')).toBe('bad');
    expect(await ltv.textContent()).toContain('250% ⚠ above threshold');
    expect(await page.getByTestId('collateral-ltv').textContent()).toContain('threshold 90%');
    expect(await page.getByTestId('warning').textContent()).toBe('intermediate');
    expect(await page.locator(`tr[data-task="${review.taskId}"]`).getAttribute('data-status')).toBe('DONE');
    expect(await page.locator('[data-testid=tasks] tr[data-status=OPEN]').filter({ hasText: 'Restructure review' }).count()).toBe(1);
    expect(await page.locator('[data-testid=timeline] li[data-type=COLLATERAL_REVALUED]').textContent()).toContain(
      'Collateral revalued: 125,000.00 → 40,000.00 (Damaged), LTV 250% (threshold 90%) ⚠ shortfall',
    );
    await page.close();
  });
});
