import { harnessLog, takeLease } from './harness-lease';

/** Gives back the lease the setup took, if it took one. The stack stops only if this run started it and is its last user. */
export default async function globalTeardown(): Promise<void> {
  const lease = takeLease();
  if (!lease) return;
  const { stopped } = await lease.release();
  if (stopped) harnessLog('stopped the stack this test run had started');
}
