// A car loan's vehicle through the operations API, on the local server with DynamoDB Local: onboarded with its
// plate, VIN and value (and by CSV import), inspected when the borrower reports damage, revalued below the
// threshold → collateral_shortfall and a restructure review; bad input refused by field with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReportSchema, loanViewResponseSchema } from '../../functions/http/http-schemas.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { expectProblem, startOperationsHarness, writtenFor, type OperationsHarness } from '../support/operations-harness.js';
import { spreadTimesOf } from '../support/fixed-time-policies.js';
import { loanRequest } from '../support/loans.js';

let dynamo: DynamoDbLocal;
let api: OperationsHarness;

// 11:00 in Shanghai on the day the loans are paid out (2026-01-05).
const START = '2026-01-05T03:00:00Z';
const VIN = 'LSGJA52U1AH123456';
const vehicle = {
  vehiclePlate: '沪A12345',
  vehicleVin: VIN,
  vehicleMake: 'BYD',
  vehicleModel: 'Qin PLUS',
  vehicleValue: 150000,
  vehicleValuedAt: '2026-01-04',
};
const carLoan = (loanId: string, extra: Record<string, unknown> = vehicle) => {
  const { by: _by, ...body } = loanRequest({ loanId, product: 'car', riskRating: 'low', principal: 100000, termMonths: 24 });
  return { ...body, ...extra };
};

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  api = await startOperationsHarness({ start: START, endpoint: dynamo.endpoint });
  for (const loanId of ['CL-CAR', 'CL-DAMAGED']) expect((await api.call('POST', '/api/loans', { as: 'admin', body: carLoan(loanId) })).status).toBe(201);
  await api.app.runtime.whenIdle();
});

afterAll(async () => {
  await api?.stop();
  await dynamo?.stop();
});

const view = async (loanId: string) => loanViewResponseSchema.parse((await api.call('GET', `/api/loans/${loanId}`, { as: 'risk' })).body);

describe('a car loan carries its vehicle', () => {
  it('shows the vehicle, its value, loan-to-value and next inspection; plate and VIN stay off the timeline', async () => {
    const loan = await view('CL-CAR');
    expect(loan.collateral).toEqual({
      type: 'vehicle',
      make: 'BYD',
      model: 'Qin PLUS',
      plate: '沪A12345',
      vin: VIN,
      description: null,
      value: 150000,
      valuedAt: '2026-01-04',
      condition: null,
      ltv: 0.6667,
      maxLtv: 0.9,
      onboardingValue: 150000,
      nextReviewAt: new Date(`2026-07-05T${spreadTimesOf('car', 'CL-CAR').task}:00+08:00`).toISOString(),
    });
    // Personal data lives in the contact record only: nothing the execution or the audit chain sees carries it.
    const stored = await api.app.store.getLoan('CL-CAR');
    expect(JSON.stringify(stored)).not.toContain(VIN);
    expect(JSON.stringify(await api.app.store.listTimeline('CL-CAR'))).not.toMatch(new RegExp(`${VIN}|沪A12345`));
    expect(await api.app.store.getContact('CL-CAR')).toMatchObject({ vehiclePlate: '沪A12345', vehicleVin: VIN });
  });

  it('refuses bad vehicle and collateral fields by name, onboarding nothing', async () => {
    const refused = async (loanId: string, body: unknown, fields: string[]) => {
      expectProblem(await api.call('POST', '/api/loans', { as: 'admin', body }), 400, fields);
      expect(await api.app.store.getLoan(loanId)).toBeUndefined();
    };
    await refused('CL-BAD1', carLoan('CL-BAD1', { ...vehicle, vehicleVin: 'LSGJA52U2AH123456' }), ['vehicleVin']);
    await refused('CL-BAD2', carLoan('CL-BAD2', { ...vehicle, vehicleVin: 'LSGJA52U1AH12345O' }), ['vehicleVin']);
    await refused('CL-BAD3', carLoan('CL-BAD3', { vehiclePlate: '沪A12345', vehicleVin: VIN }), ['vehicleValue']);
    await refused('CL-BAD4', carLoan('CL-BAD4', { ...vehicle, vehicleValuedAt: '2026-01-06' }), ['vehicleValuedAt']);
    await refused('CL-BAD5', carLoan('CL-BAD5', { ...vehicle, collateralType: 'property', collateralValue: 1 }), ['collateralType', 'collateralValue']);
    await refused('CL-BAD6', { ...carLoan('CL-BAD6', {}), product: 'consumer', vehiclePlate: '沪A12345' }, ['vehiclePlate']);
    await refused('CL-BAD7', { ...carLoan('CL-BAD7', {}), product: 'enterprise', collateralType: 'vehicle', collateralValue: 5 }, ['collateralType']);
    await refused('CL-BAD8', carLoan('CL-BAD8', { ...vehicle, vehiclePlate: '<b>x</b>' }), ['vehiclePlate']);
  });

  it('imports the vehicle columns from CSV, reporting a bad VIN on its row by column name', async () => {
    const header = 'loanId,product,riskRating,principal,annualRate,termMonths,disbursedAt,timezone,phone,email,vehiclePlate,vehicleVin,vehicleValue';
    const row = (id: string, vin: string) => `${id},car,medium,80000,0.06,36,2026-01-05,Asia/Shanghai,+8613800000111,imp@example.com,粤B12345,${vin},95000`;
    const answer = await api.call('POST', '/api/loans/import', {
      as: 'admin',
      body: [header, row('CL-IMP1', 'LFV2A21K1E4012345'), row('CL-IMP2', 'LFV2A21K2E4012345')].join('\n'),
    });
    const report = importReportSchema.parse(answer.body);
    expect(report.report.map((r) => [r.loanId, r.status, r.errors.map((e) => e.field)])).toEqual([
      ['CL-IMP1', 'CREATED', []],
      ['CL-IMP2', 'INVALID', ['vehicleVin']],
    ]);
    await api.app.runtime.whenIdle();
    expect((await view('CL-IMP1')).collateral).toMatchObject({ type: 'vehicle', plate: '粤B12345', value: 95000, valuedAt: '2026-01-05' });
    expect(await api.app.store.getLoan('CL-IMP2')).toBeUndefined();
  });
});

describe('a damaged vehicle revalued below the threshold', () => {
  it('opens a COLLATERAL_REVIEW, takes only a valuation from risk, and the shortfall raises INTERMEDIATE with a RESTRUCTURE_REVIEW', async () => {
    expect(
      (await api.call('POST', '/api/loans/CL-DAMAGED/events', { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['vehicle_damaged'] } })).status,
    ).toBe(202);
    await api.app.runtime.whenIdle();
    const review = (await view('CL-DAMAGED')).tasks.find((t) => t.purpose === 'COLLATERAL_REVIEW' && t.status === 'OPEN')!;
    expect(review).toMatchObject({ queue: 'review' });
    const outcome = (body: unknown, as = 'risk', taskId = review.taskId) => api.call('POST', `/api/tasks/${taskId}/outcome`, { as, body });

    const before = await writtenFor(api.app.store, 'CL-DAMAGED');
    expectProblem(await outcome({ outcome: 'REACHED' }), 400, ['valuation']);
    expectProblem(await outcome({ outcome: 'REACHED', valuation: { value: -1, condition: 'broken' } }), 400, ['valuation.value', 'valuation.condition']);
    expectProblem(await outcome({ outcome: 'REACHED', valuation: { value: 60000, condition: 'damaged' } }, 'agent'), 403);
    expectProblem(
      await outcome({ outcome: 'REACHED', findings: ['funds_received'], valuation: { value: 60000, condition: 'good' } }, 'agent', 'CL-DAMAGED.FIRST_CONTACT'),
      400,
      ['valuation'],
    );
    await api.app.runtime.whenIdle();
    expect(await writtenFor(api.app.store, 'CL-DAMAGED')).toEqual(before);

    expect((await outcome({ outcome: 'REACHED', valuation: { value: 60000, condition: 'damaged' } })).status).toBe(200);
    await api.app.runtime.whenIdle();
    const loan = await view('CL-DAMAGED');
    // Nothing repaid yet: 100,000 owed on a vehicle now worth 60,000.
    expect(loan.collateral).toMatchObject({ value: 60000, condition: 'damaged', ltv: 1.6667, onboardingValue: 150000, valuedAt: '2026-01-05' });
    expect(loan.warningLevel).toBe('INTERMEDIATE');
    expect(loan.timeline).toContainEqual(
      expect.objectContaining({
        type: 'COLLATERAL_REVALUED',
        taskId: review.taskId,
        value: 6_000_000,
        ltv: 1.6667,
        shortfall: true,
        previousValue: 15_000_000,
      }),
    );
    expect(loan.timeline).toContainEqual(expect.objectContaining({ type: 'WARNING_RAISED', level: 'INTERMEDIATE', reason: 'collateral_shortfall' }));
    expect(loan.tasks.filter((t) => t.status === 'OPEN').map((t) => t.purpose)).toContain('RESTRUCTURE_REVIEW');
    expect(loan.tasks.filter((t) => t.purpose === 'COLLATERAL_REVIEW').map((t) => t.status)).toEqual(['DONE']);
  });
});
