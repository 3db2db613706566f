import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../table-schema.js';

// Item-level actions only (no table management). Listed instead of grantReadWriteData so the policy names
// the one index it queries rather than `index/*`.
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/** The one table holding every loan's state (keys shared with the local set-up via TABLE_SCHEMA). */
export class LoanTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: stringKey(TABLE_SCHEMA.partitionKey),
      sortKey: stringKey(TABLE_SCHEMA.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_SCHEMA.queueIndex.name,
      partitionKey: stringKey(TABLE_SCHEMA.queueIndex.partitionKey),
      sortKey: stringKey(TABLE_SCHEMA.queueIndex.sortKey),
    });
  }

  /** Grants the function access and tells it the table name (env TABLE_NAME). */
  bindTable(fn: lambda.Function, access: 'read' | 'readWrite'): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS],
        resources: [this.table.tableArn, `${this.table.tableArn}/index/${TABLE_SCHEMA.queueIndex.name}`],
      }),
    );
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
  }
}
