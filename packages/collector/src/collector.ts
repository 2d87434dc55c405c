import type { CollectorEnv, RoleContext, Service } from '@nostr-info/shared';

/** Starts the collector role: watches this replica's share of the relays and flushes counts. */
export async function startCollector(ctx: RoleContext<CollectorEnv>): Promise<Service> {
  ctx.logger.info({ replicas: ctx.env.COLLECTOR_REPLICAS }, 'collector started');
  return {
    name: 'collector',
    stop: async () => {
      ctx.logger.info('collector stopped');
    },
  };
}
