export { type DeadlinesConfig, DeadlinesConfigSchema } from './config.js';
export { DeadlineService, type DeadlineServiceOptions } from './deadline-service.js';
export { followLog } from './follow-log.js';
export {
  type DeadlinesRunConfig,
  deadlinesConfigFromEnv,
  type RunningDeadlines,
  runDeadlines,
} from './run.js';
