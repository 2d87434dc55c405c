export { OBSERVABLE_NIPS } from './census-schema.js';
export * from './coverage-schema.js';
export {
  FOLLOWER_BUCKETS,
  type FollowGraphStatsBody,
  followGraphStatsBodySchema,
} from './follow-graph-schema.js';
export * from './ranges.js';
export * from './snapshot-schema.js';
export * from './zap-reasons.js';
