// The quota file (local/capacity/aws-quotas.json): every quota the design meets, each with its value,
// whether it can be raised, its page and how sure the figure is; a malformed file names the wrong field.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe as group, expect, it } from 'vitest';
import { describeFigure, figureFor, loadQuotas, QUOTA_FILE, QUOTA_IDS, QuotaFileError, sustained } from '../../local/capacity/quotas.js';
import { scratchDir } from './simulate-support.js';

const scratch = scratchDir('quotas');
afterAll(() => scratch.cleanup());

const shipped = () => JSON.parse(readFileSync(QUOTA_FILE, 'utf8')) as Record<string, any>;

/** Writes the shipped file with one change and loads it: the error message, or 'loaded'. */
function loadChanged(name: string, change: (file: Record<string, any>) => void): string {
  const file = shipped();
  change(file);
  const path = join(scratch.dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(file));
  try {
    loadQuotas(path);
    return 'loaded';
  } catch (error) {
    expect(error).toBeInstanceOf(QuotaFileError);
    return (error as Error).message;
  }
}

group('the shipped quota file', () => {
  const quotas = loadQuotas();

  it('lists every quota the design meets, each with its page, its date and how sure it is', () => {
    expect(Object.keys(quotas.quotas).sort()).toEqual([...QUOTA_IDS].sort());
    expect(quotas.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const quota of Object.values(quotas.quotas)) {
      expect(quota.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(['documented', 'check']).toContain(quota.confidence);
    }
    // The hard limits cannot be raised; the rate quotas the answers rely on can.
    expect(quotas.quotas.sfnHistoryEvents).toMatchObject({ value: 25_000, raisable: false });
    expect(quotas.quotas.sfnExecutionDuration).toMatchObject({ value: 365, unit: 'days', raisable: false });
    expect(quotas.quotas.sfnPayload).toMatchObject({ value: 256, unit: 'KB', raisable: false });
    expect(quotas.quotas.sfnOpenExecutions).toMatchObject({ value: 1_000_000, raisable: true });
    expect(quotas.quotas.lambdaConcurrency).toMatchObject({ value: 1000, raisable: true });
  });

  it('keeps the notes\' "(check)" marks: figures only a secondary source gave', () => {
    expect(quotas.quotas.sfnStateTransitions.confidence).toBe('check');
    expect(quotas.quotas.sfnSendTaskSuccess.confidence).toBe('check');
    expect(quotas.quotas.schedulerSchedules.confidence).toBe('check');
  });

  it('gives the big three Regions their larger Step Functions buckets', () => {
    const bigThree = quotas.bigThreeRegions;
    expect(bigThree).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(figureFor(quotas.quotas.sfnStartExecution, 'us-west-2', bigThree)).toEqual({ burst: 1300, refillPerSecond: 300 });
    expect(figureFor(quotas.quotas.sfnStartExecution, 'ap-southeast-1', bigThree)).toEqual({ burst: 800, refillPerSecond: 150 });
    expect(sustained(figureFor(quotas.quotas.sfnStateTransitions, 'eu-west-1', bigThree))).toBe(1500);
    expect(sustained(figureFor(quotas.quotas.sfnStateTransitions, 'eu-central-1', bigThree))).toBe(500);
    // Not regional: the same everywhere.
    expect(figureFor(quotas.quotas.lambdaConcurrency, 'ap-southeast-1', bigThree)).toBe(1000);
    expect(describeFigure({ burst: 1300, refillPerSecond: 300 }, 'calls/s')).toBe('300 calls/s (burst 1,300)');
  });

  it('sends SMS to each country through a listed origination identity', () => {
    expect(quotas.smsIdentities.byCountry).toMatchObject({ US: 'smsUsTollFree', CN: 'smsLongCodeOther' });
    expect(quotas.quotas.smsUsTollFree.value).toBe(3);
  });
});

group('a malformed quota file', () => {
  it('names the field that is wrong', () => {
    expect(loadChanged('refill', (f) => (f.quotas.sfnStartExecution.value.bigThree.refillPerSecond = '300'))).toMatch(
      /quotas\.sfnStartExecution\.value\.bigThree\.refillPerSecond: .*expected number/,
    );
    expect(loadChanged('missing', (f) => delete f.quotas.sesSendRate)).toMatch(/quotas\.sesSendRate: .*expected object/);
    expect(loadChanged('extra', (f) => (f.quotas.sesSendRat = f.quotas.sesSendRate))).toMatch(/quotas: Unrecognized key: "sesSendRat"/);
    expect(loadChanged('source', (f) => (f.quotas.lambdaConcurrency.source = 'the Lambda docs'))).toMatch(/quotas\.lambdaConcurrency\.source: Invalid URL/);
    expect(loadChanged('negative', (f) => (f.quotas.lambdaConcurrency.value = -1))).toMatch(/quotas\.lambdaConcurrency\.value: Too small/);
    expect(loadChanged('confidence', (f) => (f.quotas.smsUsTollFree.confidence = 'probably'))).toMatch(
      /quotas\.smsUsTollFree\.confidence: .*"documented"\|"check"/,
    );
    expect(loadChanged('date', (f) => (f.checkedOn = 'last week'))).toMatch(/checkedOn: must be a YYYY-MM-DD date/);
    expect(loadChanged('identity', (f) => (f.smsIdentities.byCountry.US = 'smsCarrierPigeon'))).toMatch(/smsIdentities\.byCountry\.US: /);
    expect(loadChanged('unchanged', () => undefined)).toBe('loaded');
  });

  it('says so when the file is not JSON', () => {
    const path = join(scratch.dir, 'broken.json');
    writeFileSync(path, '{ "about": ');
    expect(() => loadQuotas(path)).toThrow(/broken\.json: not a readable JSON file/);
  });
});
