import { runService } from '@meterline/runtime';
import { enrichmentEnv } from './config';
import { startEnrichment } from './service';

runService('enrichment', enrichmentEnv, startEnrichment);
