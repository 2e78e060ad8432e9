import { runService } from '@meterline/runtime';
import { nodeMetadataTopic } from '@meterline/schemas';
import { dwhLoaderEnv } from './config';

runService('dwh-loader', dwhLoaderEnv, async (rt) => {
  // Loading comes with the dwh-loader issue; for now: connected, with the metadata topic's schemas registered.
  await rt.openTopic(nodeMetadataTopic);
});
