import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';

/** What the instance registry needs. */
export interface InstancesOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** This process's token (random, new at every start). */
  token: string;
  ordinal: number;
  /** How often the heartbeat is written and the other instances read. */
  beatMs?: number;
  /** An instance whose heartbeat is older than this is taken for dead. */
  deadAfterMs?: number;
}

/**
 * Beats `token`'s heart unless it is fenced; false when it is (its flushes are then refused). Run
 * by the heartbeat and inside every flush transaction, where it also holds the instance's row, so
 * a fence waits for a flush under way and every later flush sees it.
 */
export async function beatUnlessFenced(db: Kysely<Database>, token: string): Promise<boolean> {
  const alive = await db
    .updateTable('collector_instances')
    .set({ beat_at: sql`now()` })
    .where('token', '=', token)
    .where('fenced_at', 'is', null)
    .returning('token')
    .executeTakeFirst();
  return alive !== undefined;
}

/**
 * The collector processes, as the database knows them: each start registers a new token and
 * fences the tokens that ran before under the same ordinal (a StatefulSet never runs two pods of
 * one identity, and the all-in-one holds its data directory's lock, so an older token of this
 * ordinal belongs to a process that died). A heartbeat shows the others that this one lives; a
 * fenced token's flushes are refused (see `flushDurable`).
 *
 * `isDead` answers from memory (read every `beatMs`): a token fenced, or silent past
 * `deadAfterMs`. Claims such a token took in the cache but never committed are taken over.
 */
export class Instances {
  private readonly db: Kysely<Database>;
  private readonly logger: Logger;
  readonly token: string;
  private readonly ordinal: number;
  readonly beatMs: number;
  private readonly deadAfterMs: number;
  private dead = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private fencedHandler: (() => void) | undefined;
  private fenced = false;

  constructor({ db, logger, token, ordinal, beatMs = 2000, deadAfterMs = 15_000 }: InstancesOptions) {
    this.db = db;
    this.logger = logger;
    this.token = token;
    this.ordinal = ordinal;
    this.beatMs = beatMs;
    this.deadAfterMs = deadAfterMs;
  }

  /** Registers this instance and fences the earlier ones of its ordinal; returns how many. */
  async register(): Promise<number> {
    const fenced = await this.db.transaction().execute(async (tx) => {
      const gone = await tx
        .updateTable('collector_instances')
        .set({ fenced_at: sql`now()` })
        .where('ordinal', '=', this.ordinal)
        .where('fenced_at', 'is', null)
        .where('token', '<>', this.token)
        .returning('token')
        .execute();
      await tx
        .insertInto('collector_instances')
        .values({ token: this.token, ordinal: this.ordinal })
        .execute();
      return gone.length;
    });
    if (fenced > 0) this.logger.warn({ fenced }, 'fenced the previous instance of this ordinal (it died)');
    await this.refresh();
    return fenced;
  }

  /** Starts the heartbeat; `onFenced` runs once if this instance finds itself fenced. */
  start(onFenced: () => void): void {
    this.fencedHandler = onFenced;
    this.timer = setInterval(() => void this.beat(), this.beatMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** True when `token` is fenced or has not beaten for `deadAfterMs` (as of the last read). */
  isDead(token: string): boolean {
    return this.dead.has(token);
  }

  /**
   * Fences `token` if it is still silent past `deadAfterMs` (a holder taken for dead before its
   * relay is taken over). True when it is fenced now.
   */
  async fenceIfSilent(token: string): Promise<boolean> {
    if (token === this.token) return false;
    const row = await this.db
      .updateTable('collector_instances')
      .set({ fenced_at: sql`coalesce(fenced_at, now())` })
      .where('token', '=', token)
      .where((eb) => this.deadWhere(eb))
      .returning('token')
      .executeTakeFirst();
    if (row) this.dead.add(token);
    return row !== undefined;
  }

  /** One heartbeat, then a fresh read of who is dead. */
  private async beat(): Promise<void> {
    try {
      if (!(await beatUnlessFenced(this.db, this.token))) this.onFenced();
      await this.refresh();
    } catch (err) {
      this.logger.warn({ err }, 'collector heartbeat failed');
    }
  }

  /** Reports this instance fenced (from the heartbeat or a refused flush), once. */
  onFenced(): void {
    if (this.fenced) return;
    this.fenced = true;
    this.logger.error('this collector instance was fenced (taken for dead, its relays taken over): stopping');
    this.fencedHandler?.();
  }

  /** Fenced, or silent past `deadAfterMs`. */
  private deadWhere(eb: ExpressionBuilder<Database, 'collector_instances'>) {
    return eb.or([
      eb('fenced_at', 'is not', null),
      eb('beat_at', '<', sql<Date>`now() - make_interval(secs => ${this.deadAfterMs / 1000})`),
    ]);
  }

  private async refresh(): Promise<void> {
    const rows = await this.db
      .selectFrom('collector_instances')
      .select('token')
      .where((eb) => this.deadWhere(eb))
      .execute();
    this.dead = new Set(rows.map((r) => r.token));
  }
}
