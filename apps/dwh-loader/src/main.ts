import { runService } from '@meterline/runtime';
import { dwhLoaderEnv } from './config';
import { startDwhLoader } from './dwh-loader';

// Kafka topics → warehouse tables, exactly once: see dwh-loader.ts for the wiring and README.md, "dwh-loader".
runService('dwh-loader', dwhLoaderEnv, async (rt) => {
  await startDwhLoader(rt);
});
