// Errors that carry a stable code, a hint for the user and the exit code the CLI should use.

/** 1 also covers a verdict that is unknown (no data): it never passes. 4 is a bug in faultline. */
export const EXIT = { ok: 0, gateFailed: 1, usage: 2, environment: 3, internal: 4, interrupted: 130 } as const;

export class FaultlineError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'FaultlineError';
  }
}

/** A user's mistake in a scenario, a --set or a flag: exit 2. */
export class ScenarioError extends FaultlineError {
  constructor(
    message: string,
    readonly problems: string[] = [],
    hint?: string,
  ) {
    super(message, 'SCENARIO', EXIT.usage, hint);
    this.name = 'ScenarioError';
  }
}

/** Something outside faultline is missing or unreachable (a broker, Toxiproxy): exit 3. */
export class EnvironmentError extends FaultlineError {
  constructor(message: string, hint?: string) {
    super(message, 'ENVIRONMENT', EXIT.environment, hint);
    this.name = 'EnvironmentError';
  }
}

export function isFaultlineError(err: unknown): err is FaultlineError {
  return err instanceof FaultlineError;
}
