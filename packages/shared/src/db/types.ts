import pg from 'pg';

/**
 * One decoding of Postgres values for both drivers: int8 and numeric (what `sum()` returns) as JS
 * numbers, `date` as its `YYYY-MM-DD` text (pg would otherwise build a local-time Date).
 */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

export const valueParsers: Record<number, (value: string) => unknown> = {
  [INT8]: (value) => Number(value),
  [NUMERIC]: (value) => Number(value),
  [DATE]: (value) => value,
};

/** `pg` type overrides, per pool (never the process-global `pg.types`). */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = valueParsers[oid];
    if (parser && format !== 'binary') return parser;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;
