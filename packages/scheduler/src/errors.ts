/** A scheduler run that could not complete; `cause` holds the underlying database or cache error. */
export class SchedulerRunError extends Error {
  override readonly name = 'SchedulerRunError';
}
