import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import type { EncryptionKey, KmsAction } from './encryption-key.js';

/**
 * Item-level DynamoDB actions, granted one by one to each function (no table management, no `dynamodb:*`).
 * TransactWriteItems has no IAM action of its own: each item in it is authorized as PutItem, UpdateItem,
 * DeleteItem or ConditionCheckItem.
 */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'ConditionCheckItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';

const READ_ONLY: ReadonlySet<TableAction> = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'ConditionCheckItem']);

export interface LoanTableProps {
  encryptionKey: EncryptionKey;
}

/** An IAM Condition block, e.g. `{ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...] } }`. */
export type TableCondition = Record<string, Record<string, unknown>>;

export interface BindTableOptions {
  /** Also grant the actions on the gsi1 queue index (only Query and Scan apply there). */
  queueIndex?: boolean;
  /** Conditions on some of the actions (infra/constructs/table-conditions.ts): each gets a statement of its own. */
  conditions?: Partial<Record<TableAction, TableCondition>>;
  /** Grants Query on the queue index under this condition instead (a statement of its own). */
  queueIndexCondition?: TableCondition;
}

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/** The one table holding every loan's state (keys shared with the local set-up via TABLE_SCHEMA). */
export class LoanTable extends Construct {
  readonly table: dynamodb.Table;

  private readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: LoanTableProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: stringKey(TABLE_SCHEMA.partitionKey),
      sortKey: stringKey(TABLE_SCHEMA.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // DeleteTable is refused until someone turns this off on purpose (the stack's RETAIN covers only CloudFormation).
      deletionProtection: true,
    });
    // Only the task fields and the referral summary: a role that may query the index reads nothing else
    // through it (no case package, contact or timeline).
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_SCHEMA.queueIndex.name,
      partitionKey: stringKey(TABLE_SCHEMA.queueIndex.partitionKey),
      sortKey: stringKey(TABLE_SCHEMA.queueIndex.sortKey),
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...TABLE_SCHEMA.queueIndex.nonKeyAttributes],
    });
  }

  /**
   * Grants the function exactly `actions` on the table (and the queue index if asked), the key use DynamoDB
   * makes on its behalf, and tells it the table name (env TABLE_NAME).
   */
  bindTable(fn: lambda.Function, actions: TableAction[], options: BindTableOptions = {}): void {
    if (actions.length === 0 && !options.queueIndexCondition) throw new Error(`${fn.node.path}: bindTable needs at least one action`);
    const indexArn = `${this.table.tableArn}/index/${TABLE_SCHEMA.queueIndex.name}`;
    const conditions = options.conditions ?? {};
    const plain = [...new Set(actions)].filter((a) => !conditions[a]).sort();
    const resources = [this.table.tableArn];
    if (options.queueIndex && !options.queueIndexCondition) resources.push(indexArn);
    if (plain.length > 0) fn.addToRolePolicy(new iam.PolicyStatement({ actions: plain.map((a) => `dynamodb:${a}`), resources }));
    // Actions under the same condition share a statement.
    const byCondition = new Map<string, TableAction[]>();
    for (const action of [...new Set(actions)].filter((a) => conditions[a]).sort()) {
      const key = JSON.stringify(conditions[action]);
      byCondition.set(key, [...(byCondition.get(key) ?? []), action]);
    }
    for (const [condition, grouped] of byCondition) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: grouped.map((a) => `dynamodb:${a}`), resources: [this.table.tableArn], conditions: JSON.parse(condition) }),
      );
    }
    if (options.queueIndex && options.queueIndexCondition) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [indexArn], conditions: options.queueIndexCondition }));
    }
    const writes = actions.some((a) => !READ_ONLY.has(a));
    const keyActions: KmsAction[] = writes ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt', 'kms:DescribeKey'];
    this.encryptionKey.grantVia(fn, 'dynamodb', keyActions);
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
  }
}
