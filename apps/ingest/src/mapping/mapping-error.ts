import { MeterlineError } from '@meterline/stream';

/** A mapping that cannot be used, with every problem found: restarting with the same file cannot help. */
export class MappingError extends MeterlineError {
  constructor(
    readonly origin: string,
    readonly problems: readonly string[],
  ) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super('fatal', 'MAPPING_INVALID', `mapping ${origin} (${count}):\n  ${problems.join('\n  ')}`);
  }
}
