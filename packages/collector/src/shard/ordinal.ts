/** Raised when this replica's ordinal cannot be determined. */
export class OrdinalError extends Error {
  override readonly name = 'OrdinalError';
}

/**
 * This replica's ordinal: COLLECTOR_ORDINAL when set, else the number after the last `-` of the
 * pod name (StatefulSet pods are `<name>-<ordinal>`), else 0 for a single local process.
 */
export function resolveOrdinal(podName: string | undefined, override: number | undefined): number {
  if (override !== undefined) return override;
  if (!podName) return 0;
  const match = /-(\d+)$/.exec(podName);
  if (!match?.[1]) throw new OrdinalError(`cannot read an ordinal from POD_NAME ${JSON.stringify(podName)}`);
  return Number(match[1]);
}
