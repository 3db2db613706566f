// The local runtime killed mid-run: from the moment of the cut, nothing it runs reaches the outside world.

const OUTSIDE_PORTS = ['store', 'sms', 'email', 'teams', 'receipts', 'workflow'];

/** What every call of a killed runtime gets: the process it ran in is gone. */
export class RuntimeKilledError extends Error {
  override name = 'RuntimeKilledError';
  constructor() {
    super('the local runtime was killed');
  }
}

/**
 * Handlers of a killed process stop at their next call out: a request already on the wire lands (DynamoDB
 * still applies a write the process sent just before it died), nothing after it does. Wrapping the ports the
 * handlers are built with is enough, as they reach the store, the providers and Step Functions only through them.
 */
export class PowerCut {
  private cutAt: number | undefined;

  get isCut(): boolean {
    return this.cutAt !== undefined;
  }

  cut(): void {
    this.cutAt ??= performance.now();
  }

  /** The object's methods, refused once the power is cut. */
  guard<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (this.isCut) return Promise.reject(new RuntimeKilledError());
          return value.apply(object, args);
        };
      },
    });
  }

  /** The ports that reach outside the process: the store, the providers and their receipts, Step Functions. */
  guardPorts<P extends object>(ports: P): P {
    const guarded = { ...ports } as Record<string, unknown>;
    for (const name of OUTSIDE_PORTS) {
      const port = guarded[name];
      if (port !== null && typeof port === 'object') guarded[name] = this.guard(port);
    }
    return guarded as P;
  }
}
