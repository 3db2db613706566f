import { Aws, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EncryptionKey } from './encryption-key.js';

export interface TeamTopicsProps {
  supervisorEmails?: string[];
  supervisorPhones?: string[];
  legalEmails?: string[];
  legalPhones?: string[];
}

export interface TeamTopicsResources {
  encryptionKey: EncryptionKey;
  /** Where SNS puts a notification it could not deliver to a subscriber. */
  deadLetterQueue: sqs.IQueue;
}

export type Team = 'supervisors' | 'legal';

/** Tag on each team topic (value: the team). The publishers' Deny statements tell the team topics by it. */
export const TEAM_TAG = 'loan-followup:team';

/** Notifications to the supervisors and legal teams, by email and SMS subscriptions. */
export class TeamTopics extends Construct {
  readonly supervisors: sns.Topic;
  readonly legal: sns.Topic;
  private readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: TeamTopicsProps & TeamTopicsResources) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    // The service key, not alias/aws/sns: CloudWatch alarms cannot publish to a topic under the AWS managed key.
    this.supervisors = this.createTopic('Supervisors', 'supervisors', props, props.supervisorEmails ?? [], props.supervisorPhones ?? []);
    this.legal = this.createTopic('Legal', 'legal', props, props.legalEmails ?? [], props.legalPhones ?? []);
  }

  /**
   * Grants publishing to the given teams' topics (and the key use SNS makes on the publisher's behalf). Sets env
   * SUPERVISORS_TOPIC_ARN and LEGAL_TOPIC_ARN either way: the notifier adapter reads both.
   */
  bindTopics(fn: lambda.Function, teams: Team[] = ['supervisors', 'legal']): void {
    const topics = teams.map((team) => this[team]);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: topics.map((t) => t.topicArn) }));
    this.denyOthers(fn, teams);
    this.encryptionKey.grantVia(fn, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']);
    fn.addEnvironment('SUPERVISORS_TOPIC_ARN', this.supervisors.topicArn);
    fn.addEnvironment('LEGAL_TOPIC_ARN', this.legal.topicArn);
  }

  /**
   * Denies publishing to any topic or platform endpoint but these teams' topics, whatever else allows it: the
   * `*` AdvanceLoan needs for SMS, or a topic's own policy (SNS's default one lets every principal of the
   * account publish). A direct SMS is authorized against the phone number, not an SNS ARN, so neither
   * statement touches it. IAM accepts only ARNs (or `*`) as resources, so "every SNS ARN but these two" is
   * said with the topics' tag: the first statement denies every SNS ARN not tagged as one of these teams, the
   * second any tagged topic but these (another deployment's, or one tagged by hand).
   */
  private denyOthers(fn: lambda.Function, teams: Team[]): void {
    const tag = `aws:ResourceTag/${TEAM_TAG}`;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishToNoUntaggedTopic',
        effect: iam.Effect.DENY,
        actions: ['sns:Publish'],
        resources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
        conditions: { StringNotEquals: { [tag]: teams } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishToNoOtherTeamTopic',
        effect: iam.Effect.DENY,
        actions: ['sns:Publish'],
        notResources: teams.map((team) => this[team].topicArn),
        conditions: { Null: { [tag]: 'false' } },
      }),
    );
  }

  private createTopic(id: string, team: Team, resources: TeamTopicsResources, emails: string[], phones: string[]): sns.Topic {
    const topic = new sns.Topic(this, id, { enforceSSL: true, masterKey: resources.encryptionKey.key });
    Tags.of(topic).add(TEAM_TAG, team);
    const deadLetterQueue = resources.deadLetterQueue;
    for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email, { deadLetterQueue }));
    // Built directly: SmsSubscription accepts deadLetterQueue but drops it. Same id as addSubscription gives it.
    for (const phone of phones) new sns.Subscription(topic, phone, { topic, protocol: sns.SubscriptionProtocol.SMS, endpoint: phone, deadLetterQueue });
    return topic;
  }
}
