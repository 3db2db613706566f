import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { LoanTable, TableAction, TableCondition } from './loan-table.js';
import { namesOnly } from './table-conditions.js';

export interface ContactRetentionProps {
  createFunction: (id: string, file: string, size?: { memorySize?: number; timeout?: Duration }) => NodejsFunction;
  table: LoanTable;
}

/**
 * What the job writes (functions/anonymise-closed-loans.ts, store.anonymiseContact): the blank contact record
 * (phone, email, anonymisedAt) and the CONTACT_ANONYMISED timeline record (event) with PutItem, the audit head
 * on the loan's record (state) with UpdateItem. It may write no loan terms, schedule, task or case package.
 */
export const RETENTION_WRITER: Partial<Record<TableAction, TableCondition>> = {
  PutItem: namesOnly(['phone', 'email', 'anonymisedAt', 'event']),
  UpdateItem: namesOnly(['state']),
};

/**
 * Retention of contact details: a daily job blanks the contact record of loans closed longer ago than the
 * policy's `retention.contactYearsAfterClosure`, and appends CONTACT_ANONYMISED to each loan's audit chain (so
 * it is a committer of the audit trail: the stack passes its function to AuditTrail for the head key).
 */
export class ContactRetention extends Construct {
  readonly function: NodejsFunction;
  readonly schedule: scheduler.Schedule;
  readonly scheduleRole: iam.Role;

  constructor(scope: Construct, id: string, props: ContactRetentionProps) {
    super(scope, id);
    // listLoans (Scan of the loans' records), then per closed loan getLoan and getContact (GetItem) and, when
    // due, one TransactWriteItems (Put of the contact and the record, Update of the head).
    this.function = props.createFunction('AnonymiseClosedLoans', 'anonymise-closed-loans', { memorySize: 1024, timeout: Duration.minutes(15) });
    props.table.bindTable(this.function, ['Scan', 'GetItem', 'PutItem', 'UpdateItem'], { conditions: RETENTION_WRITER });

    // Daily at 03:30 UTC, after the anchor job. Scheduler invokes asynchronously: Lambda retries twice, then the
    // dead-letter queue; a loan missed today is anonymised tomorrow.
    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
    });
    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description: 'Anonymises the contact records of loans closed longer ago than the retention policy',
      schedule: scheduler.ScheduleExpression.cron({ minute: '30', hour: '3', timeZone: TimeZone.ETC_UTC }),
      target: new targets.LambdaInvoke(this.function, { role: this.scheduleRole, retryAttempts: 3, maxEventAge: Duration.hours(6) }),
    });
    Validations.of(this.scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.function.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: "CDK's Lambda invoke grant also names the function's versions (ARN:*); the schedule invokes this one function only.",
    });
  }
}
