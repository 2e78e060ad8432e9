import { fatalError } from '@meterline/stream';
import type { Aggregator } from './aggregator';
import { sessionWindows } from './session-windows';
import { slidingWindows } from './sliding-windows';
import { timeWindows } from './time-windows';
import type { WindowKind } from './window-kind';
import type { WindowSpec } from './window-spec';

/** The window kind for a spec, refusing aggregator/kind combinations that could only fail later, per record. */
export function selectKind<R, A, O>(spec: WindowSpec, aggregator: Aggregator<R, A, O>): WindowKind<R, A> {
  const merge = aggregator.merge?.bind(aggregator);
  if (aggregator.runningTotals === true && (spec.kind !== 'tumbling' || merge === undefined)) {
    // Overlapping (hopping, sliding) or merging (session) windows have no single "everything up to this window".
    throw invalid('running totals need tumbling windows and an aggregator with merge');
  }
  switch (spec.kind) {
    case 'tumbling':
    case 'hopping':
      return timeWindows(spec, aggregator);
    case 'sliding':
      if (merge === undefined) throw invalid('sliding windows need an aggregator with merge');
      return slidingWindows(spec, aggregator, merge);
    case 'session':
      if (merge === undefined) throw invalid('session windows need an aggregator with merge');
      return sessionWindows(spec, aggregator, merge);
  }
}

const invalid = (message: string) => fatalError('WINDOW_AGGREGATOR_INVALID', message);
