import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface TeamTopicsProps {
  supervisorEmails?: string[];
  supervisorPhones?: string[];
  legalEmails?: string[];
  legalPhones?: string[];
}

/** Notifications to the supervisors and legal teams, by email and SMS subscriptions. */
export class TeamTopics extends Construct {
  readonly supervisors: sns.Topic;
  readonly legal: sns.Topic;

  constructor(scope: Construct, id: string, props: TeamTopicsProps = {}) {
    super(scope, id);
    // The AWS managed key: encryption at rest without a customer key to pay for, rotate and grant.
    const awsManagedKey = kms.Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns');
    this.supervisors = this.createTopic('Supervisors', awsManagedKey, props.supervisorEmails ?? [], props.supervisorPhones ?? []);
    this.legal = this.createTopic('Legal', awsManagedKey, props.legalEmails ?? [], props.legalPhones ?? []);
  }

  /** Grants publishing to both topics and sets env SUPERVISORS_TOPIC_ARN and LEGAL_TOPIC_ARN. */
  bindTopics(fn: lambda.Function): void {
    this.supervisors.grantPublish(fn);
    this.legal.grantPublish(fn);
    fn.addEnvironment('SUPERVISORS_TOPIC_ARN', this.supervisors.topicArn);
    fn.addEnvironment('LEGAL_TOPIC_ARN', this.legal.topicArn);
  }

  private createTopic(id: string, masterKey: kms.IKey, emails: string[], phones: string[]): sns.Topic {
    const topic = new sns.Topic(this, id, { enforceSSL: true, masterKey });
    for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    for (const phone of phones) topic.addSubscription(new subscriptions.SmsSubscription(phone));
    return topic;
  }
}
