export { stackEndpoints, type TestEndpoints } from './endpoints';
export { uniqueName } from './unique-name';
export { waitFor, type WaitForOptions } from '@meterline/local-stack';
export { sharedData } from './shared-data';
