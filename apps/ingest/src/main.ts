import { runService } from '@meterline/runtime';
import { nodeMetadataTopic, nodeMetricRawTopic } from '@meterline/schemas';
import { ingestEnv } from './config';

runService('ingest', ingestEnv, async (rt) => {
  // Registering the schemas and connecting the producer now keeps the first record free of registry and broker setup.
  await rt.openTopic(nodeMetricRawTopic);
  await rt.openTopic(nodeMetadataTopic);
  await rt.producer();
});
