import { runService } from '@meterline/runtime';
import { nodeMetadataTopic, nodeMetricRawTopic } from '@meterline/schemas';
import { enrichmentEnv } from './config';

runService('enrichment', enrichmentEnv, async (rt) => {
  // The join and the window engine come with the enrichment issue; for now: the inputs' schemas are registered.
  await rt.openTopic(nodeMetricRawTopic);
  await rt.openTopic(nodeMetadataTopic);
});
