import { poisonError } from '@meterline/stream';
import type { Candidate } from '../candidate';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json-seq', 'application/x-jsonlines'];

/**
 * A request body as candidates: a JSON array (or a single object) for `application/json`, one JSON value per line
 * for NDJSON. In NDJSON a line that is not JSON is one rejected record, not a failed request: the other lines of
 * the same request are still accepted.
 */
export function parseBody<F>(
  body: Buffer,
  contentType: string | undefined,
  requestId: string,
  maxRecords: number,
): Candidate<F>[] {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = body.toString('utf8');
  let candidates: Candidate<F>[];
  if (NDJSON_TYPES.includes(type)) {
    candidates = [];
    text.split('\n').forEach((raw, line) => {
      const original = raw.trim();
      if (original === '') return;
      candidates.push(toCandidate<F>(original, requestId, candidates.length, `line ${line + 1}`));
    });
  } else if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new BodyError(400, `body is not valid JSON: ${(err as Error).message}`);
    }
    const elements = Array.isArray(parsed) ? parsed : [parsed];
    // The original text is only needed for a rejected record (the DLQ), so it is rendered on demand.
    candidates = elements.map((element, index) => fromValue<F>(element, () => JSON.stringify(element) ?? 'null', requestId, index));
  } else {
    throw new BodyError(415, `unsupported content type "${type}": send application/json (an array) or application/x-ndjson`);
  }
  if (candidates.length > maxRecords) {
    throw new BodyError(413, `${candidates.length} records exceed the limit of ${maxRecords} per request (INGEST_HTTP_MAX_RECORDS)`);
  }
  return candidates;
}

function toCandidate<F>(original: string, request: string, index: number, where: string): Candidate<F> {
  let value: unknown;
  try {
    value = JSON.parse(original);
  } catch (err) {
    return {
      fields: {} as F,
      position: { request, index: String(index) },
      original,
      problem: { code: 'VALIDATION_BAD_JSON', message: `${where} is not valid JSON: ${(err as Error).message}` },
    };
  }
  return fromValue<F>(value, () => original, request, index);
}

function fromValue<F>(value: unknown, original: () => string, request: string, index: number): Candidate<F> {
  const position = { request, index: String(index) };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const problem = poisonError('VALIDATION_WRONG_TYPE', 'a record must be a JSON object');
    return { fields: {} as F, position, original: original(), problem: { code: problem.code, message: problem.message } };
  }
  return {
    fields: value as F,
    position,
    get original() {
      return original();
    },
  };
}
