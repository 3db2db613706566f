import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** The console: plain HTML, CSS and ES modules (the same folder `npm start` serves). */
export const CONSOLE_UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../console');

export interface ConsoleSiteProps {
  /** Host name of the operations API; CloudFront sends /api/* there, so the console and the API share an origin. */
  apiDomainName: string;
  /** Sent to the API on every /api/* request in the header `originVerify.header`; the API refuses requests without it. */
  originVerify: { header: string; secret: string };
  /** ARN of the web ACL (scope CLOUDFRONT, made in us-east-1 by ConsoleFirewallStack) in front of the whole site. */
  webAclArn: string;
  /** Written to config.json, read by the console at start (deploy-time values such as the Cognito domain). */
  config: () => Record<string, unknown>;
}

const NO_DOMAIN =
  'No custom domain yet: CloudFront’s default *.cloudfront.net certificate, on which CloudFront itself negotiates TLS 1.2+ with modern browsers; set a domain and an ACM certificate to pin TLSv1.2_2021.';

/**
 * The console from S3 through CloudFront: a private bucket read only through origin access control, HTTPS
 * only, strict security headers, /api/* forwarded uncached to the HTTP API with the origin secret, a WAF web ACL,
 * access logs for both. The files
 * (with config.json and openapi.json) are published by `npm run console:publish` after `cdk deploy`: no
 * deploy-time Lambda, so every function of the stack stays under the project's rules (DLQ, alarms, no wildcards).
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the console site and its CDN; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The console talks to its own origin (/api) and to the Cognito sign-in domain for tokens.
          contentSecurityPolicy:
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self' https://*.amazoncognito.com; frame-ancestors 'none'; form-action 'self' https://*.amazoncognito.com",
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'loan-followup operations console',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cdn/',
      webAclId: props.webAclArn,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(props.apiDomainName, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
            // CloudFront overwrites a viewer's header of the same name, so only CloudFront can send the right value.
            customHeaders: { [props.originVerify.header]: props.originVerify.secret },
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
        },
      },
    });
    Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR4', reason: NO_DOMAIN });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Staff sign in with MFA from wherever they work (branches, field visits) and borrowers open their unsubscribe link from wherever they read mail; staff routes need a Cognito token, the public unsubscribe route a valid link MAC, so a country block adds nothing.',
    });

    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName, description: 'Console files go here (npm run console:publish)' });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId, description: 'Invalidated after each publish' });
    new CfnOutput(this, 'Url', { value: this.url, description: 'The operations console' });
    new CfnOutput(this, 'Config', { value: Stack.of(this).toJsonString(props.config()), description: 'The console’s config.json' });
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}
