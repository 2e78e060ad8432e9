import { clearLeases } from './leases';
import type { StackLayout } from './layout';
import { stopProcess, type StopOutcome } from './processes';
import { removeState, type StackState } from './state';

export interface StopResult {
  readonly kafka: StopOutcome;
  readonly registry: StopOutcome;
}

/**
 * Stops exactly the processes the state file records, each only if its pid still runs the recorded command line, then
 * forgets the stack. Both stop in parallel: the registry (in-memory storage) does not need Kafka to shut down.
 */
export async function stopStack(state: StackState, layout: StackLayout): Promise<StopResult> {
  const [kafka, registry] = await Promise.all([
    stopProcess(state.kafka.pid, state.kafka.argv),
    stopProcess(state.registry.pid, state.registry.argv),
  ]);
  removeState(layout.stateFile);
  clearLeases(layout.leasesDir);
  return { kafka, registry };
}
