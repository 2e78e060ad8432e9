import { runService } from '@meterline/runtime';
import { featureBuilderEnv } from './config';

runService('feature-builder', featureBuilderEnv, async () => {
  // Its input (metrics.node.enriched.v1) and features come with later issues; for now: connected and observable.
});
