import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ROUTES, type RouteSpec } from '../../functions/http/routes.js';

/** CloudFront takes only web ACLs of scope CLOUDFRONT, and AWS creates those in us-east-1 alone. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

/** The paths of the routes anyone may call without a token (the unsubscribe link), from the route table. */
export const PUBLIC_PATHS: string[] = [...new Set((ROUTES as readonly RouteSpec[]).filter((r) => r.public).map((r) => r.path))];

export interface ConsoleFirewallProps {
  /**
   * Requests one client IP may send to the public routes in 5 minutes before WAF answers 429. A borrower's
   * unsubscribe is two requests (the page, the button); mobile carriers put many people behind one address.
   * @default 100
   */
  publicRequestsPerIp?: number;
}

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * The console's web ACL (scope CLOUDFRONT): a per-IP rate limit on the public routes, then AWS's common rule set
 * and known-bad-inputs rule set on everything. The common set's body-size rule only counts: the portfolio import
 * (POST /api/loans/import) sends CSV bodies well over its 8 KB, and the API bounds bodies itself.
 */
export class ConsoleFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ConsoleFirewallProps = {}) {
    super(scope, id);
    const publicPath = (path: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: path,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    });
    const publicRoutes: wafv2.CfnWebACL.StatementProperty =
      PUBLIC_PATHS.length === 1 ? publicPath(PUBLIC_PATHS[0]!) : { orStatement: { statements: PUBLIC_PATHS.map(publicPath) } };
    const managed = (name: string, priority: number, countOnly: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(countOnly.length > 0 ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'loan-followup console and operations API: per-IP limit on the public unsubscribe routes, AWS managed rules',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('LoanFollowUpConsole'),
      rules: [
        {
          name: 'PublicRoutesPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: { limit: props.publicRequestsPerIp ?? 100, evaluationWindowSec: 300, aggregateKeyType: 'IP', scopeDownStatement: publicRoutes },
          },
          visibilityConfig: visibility('PublicRoutesPerIp'),
        },
        managed('AWSManagedRulesCommonRuleSet', 1, ['SizeRestrictions_BODY']),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      ],
    });
  }
}

/**
 * The small us-east-1 stack holding the console's web ACL. Deploy it first; its `WebAclArn` output is the main
 * stack's `ConsoleWebAclArn` parameter (no crossRegionReferences: they would add a deploy-time custom resource
 * Lambda outside the project's rules).
 */
export class ConsoleFirewallStack extends Stack {
  readonly firewall: ConsoleFirewall;

  constructor(scope: Construct, id: string, props: StackProps & ConsoleFirewallProps = {}) {
    super(scope, id, { ...props, env: { ...props.env, region: CLOUDFRONT_WAF_REGION } });
    this.firewall = new ConsoleFirewall(this, 'ConsoleFirewall', props);
    new CfnOutput(this, 'WebAclArn', { value: this.firewall.webAcl.attrArn, description: 'The main stack’s ConsoleWebAclArn parameter' });
  }
}
