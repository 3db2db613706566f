import { CfnParameter, type Stack } from 'aws-cdk-lib';
import { CLOUDFRONT_WAF_REGION } from './console-firewall.js';

/**
 * What the stack cannot make itself and needs before it is reachable: the API's domain and its certificate, the
 * web ACL from the us-east-1 stack, and the secret CloudFront shows the API. CloudFormation parameters without
 * defaults: `cdk synth` stays offline, `cdk deploy` refuses to go on without them (each checked by its pattern),
 * and later deploys keep the previous values.
 */
export interface ExposureParameters {
  apiDomainName: string;
  apiCertificateArn: string;
  consoleWebAclArn: string;
  originVerifySecret: string;
}

/** Logical ids, as `cdk deploy --parameters LoanFollowUp:<id>=…` names them. */
export const EXPOSURE_PARAMETER_IDS = ['ApiDomainName', 'ApiCertificateArn', 'ConsoleWebAclArn', 'OriginVerifySecret'] as const;

export function exposureParameters(stack: Stack): ExposureParameters {
  const parameter = (id: (typeof EXPOSURE_PARAMETER_IDS)[number], props: ConstructorParameters<typeof CfnParameter>[2]) =>
    new CfnParameter(stack, id, { type: 'String', ...props }).valueAsString;
  return {
    apiDomainName: parameter('ApiDomainName', {
      description:
        'Host name of the operations API (e.g. api.lender.example): CloudFront’s /api/* origin. Point it (CNAME) at the output OperationsApiDomainTarget.',
      allowedPattern: '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$',
      constraintDescription: 'must be a lower-case DNS host name',
    }),
    apiCertificateArn: parameter('ApiCertificateArn', {
      description: 'ACM certificate for ApiDomainName, in this stack’s region',
      allowedPattern: '^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$',
      constraintDescription: 'must be an ACM certificate ARN',
    }),
    consoleWebAclArn: parameter('ConsoleWebAclArn', {
      description: `The WebAclArn output of the LoanFollowUpEdge stack (scope CLOUDFRONT, ${CLOUDFRONT_WAF_REGION})`,
      allowedPattern: `^arn:aws[a-z-]*:wafv2:${CLOUDFRONT_WAF_REGION}:[0-9]{12}:global/webacl/[A-Za-z0-9_-]+/[0-9a-f-]{36}$`,
      constraintDescription: `must be the ARN of a CLOUDFRONT web ACL in ${CLOUDFRONT_WAF_REGION}`,
    }),
    originVerifySecret: parameter('OriginVerifySecret', {
      description: 'Random value CloudFront sends the API in x-origin-verify (e.g. openssl rand -hex 32)',
      noEcho: true,
      minLength: 32,
      allowedPattern: '^[A-Za-z0-9_-]{32,128}$',
      constraintDescription: 'must be 32 to 128 letters, digits, - or _',
    }),
  };
}
