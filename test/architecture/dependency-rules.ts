// Which folder may import which: the architecture as data, in the manner of dependency-cruiser's forbidden rules.
// test/architecture/dependencies.test.ts checks every import of every TypeScript file against them.

export interface DependencyRule {
  name: string;
  comment: string;
  /** Files the rule applies to (repository paths). */
  from: RegExp;
  /** What those files may not import: repository paths of relative imports, or package names. */
  forbidden: RegExp[];
  /** Files the rule leaves alone (each with its reason in the comment). */
  except?: RegExp[];
}

const SDKS = [/^@aws-sdk\//, /^@middy\//, /^@aws-lambda-powertools\//, /^aws-cdk-lib/, /^constructs$/, /^cdk-nag/];

export const DEPENDENCY_RULES: DependencyRule[] = [
  {
    name: 'domain-is-pure',
    comment: 'The rules (schedule, ladder, classification, compliance, audit chain, policy, templates) know no AWS, middy, CDK, handler or tool.',
    from: /^workflows\/(domain|compliance|audit|policy|templates)\/|^workflows\/(state-names|execution-contract)\.ts$/,
    forbidden: [/^functions\//, /^infra\//, /^local\//, /^console\//, /^test\//, ...SDKS],
  },
  {
    name: 'production-never-imports-tools',
    comment: 'What is deployed (handlers, adapters, HTTP layer, domain) never imports the CDK app, the local runtime, its tools or the tests.',
    from: /^(functions|workflows)\//,
    forbidden: [/^infra\//, /^local\//, /^console\//, /^test\//],
  },
  {
    name: 'handlers-not-cdk',
    comment: 'Handlers and adapters run in Lambda: no CDK.',
    from: /^functions\//,
    forbidden: [/^aws-cdk-lib/, /^constructs$/, /^cdk-nag/],
  },
  {
    name: 'cdk-app-never-imports-local',
    comment: 'The CDK app synthesizes what is deployed; the local runtime and tools build on it, never the other way.',
    from: /^infra\//,
    forbidden: [/^local\//, /^test\//],
  },
  {
    name: 'local-never-imports-tests',
    comment: 'The local runtime and tools stand on their own: tests import them, not the reverse.',
    from: /^local\//,
    forbidden: [/^test\//],
  },
];
