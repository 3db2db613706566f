// Wires the operations API and the console onto a running local app: the same route handlers as the Lambdas,
// over the app's store and engine, with the demo clock (or the wall clock) as their clock.
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { realPacing, type ApiPorts } from '../functions/http/api-ports.js';
import type { LoanStore } from '../functions/ports.js';
import { loadAllPolicies } from '../workflows/policy/load-policy.js';
import type { DemoClock } from './demo-clock.js';
import { createDevTokens, type DevTokens } from './dev-tokens.js';
import { startOperationsServer, type OperationsServer } from './http-server.js';
import type { LocalApp } from './local-app.js';

export interface LocalOperationsOptions {
  demo?: DemoClock;
  host?: string;
  port?: number;
  tokens?: DevTokens;
  logLevel?: LogLevel;
}

export async function startLocalOperations(app: LocalApp, options: LocalOperationsOptions = {}): Promise<OperationsServer & { tokens: DevTokens }> {
  const policies = loadAllPolicies();
  const logger = new Logger({ serviceName: 'loan-followup-api', logLevel: options.logLevel ?? 'SILENT' });
  const ports: ApiPorts = {
    store: app.store,
    workflow: app.runtime,
    clock: options.demo?.clock ?? app.clock,
    logger,
    policies: (product) => policies[product],
    pacing: realPacing(),
    unsubscribe: app.unsubscribe,
  };
  const tokens = options.tokens ?? createDevTokens();
  const demo = options.demo;
  const server = await startOperationsServer({
    ports,
    tokens,
    logger,
    demo,
    afterChange: demo ? () => demo.settle() : undefined,
    host: options.host,
    port: options.port,
  });
  app.setPublicUrl(server.url);
  return { ...server, tokens };
}

/**
 * The demo's borrowers pay as their script says, but its agents are the people at the console: the simulated
 * world is shown no tasks, so it never answers one.
 */
export function borrowersOnly(store: LoanStore): LoanStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'listTasks') return async () => [];
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
