import type { StackLease } from '@meterline/local-stack';

// Jest runs globalSetup and globalTeardown in the same process and shares globalThis between them (not with the test
// workers): the lease taken in the setup is handed to the teardown this way.
const KEY = Symbol.for('meterline.testing.stackLease');

type Holder = { [KEY]?: StackLease };

export const keepLease = (lease: StackLease): void => {
  (globalThis as Holder)[KEY] = lease;
};

export function takeLease(): StackLease | undefined {
  const holder = globalThis as Holder;
  const lease = holder[KEY];
  delete holder[KEY];
  return lease;
}

export const harnessLog = (line: string): void => {
  process.stderr.write(`local-stack: ${line}\n`);
};
