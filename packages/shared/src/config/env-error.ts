/** One invalid or missing setting. `given` is already redacted. */
export interface EnvProblem {
  name: string;
  given: string;
  expected: string;
}

/** Thrown by `loadEnv` when settings are invalid; the CLI prints it and exits 2. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  readonly exitCode = 2;

  constructor(
    readonly role: string,
    readonly problems: EnvProblem[],
  ) {
    super(
      `invalid configuration for "${role}" (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  - ${p.name}: ${p.expected} (given: ${p.given})`)
        .join('\n')}`,
    );
  }
}
