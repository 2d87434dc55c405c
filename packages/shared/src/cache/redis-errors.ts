/** Commands whose arguments carry credentials. */
const AUTH_COMMANDS = new Set(['auth', 'hello', 'migrate']);

/**
 * ioredis attaches the failed command and its arguments to errors (`err.command.args`); for
 * AUTH/HELLO these are the user name and password, which would then reach a log line or an API
 * error cause. Masks them in place, as the error object is shared by every rejected caller.
 */
export function hideAuthArguments(err: unknown): void {
  const command = (err as { command?: { name?: unknown; args?: unknown } } | null)?.command;
  if (command && typeof command.name === 'string' && AUTH_COMMANDS.has(command.name.toLowerCase())) {
    command.args = ['***'];
  }
}
