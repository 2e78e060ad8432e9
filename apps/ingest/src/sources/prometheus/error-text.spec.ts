import { errorText } from './error-text';

describe('errorText', () => {
  it('joins a message and its cause', () => {
    expect(errorText(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))).toBe(
      'fetch failed: connect ECONNREFUSED 127.0.0.1:9',
    );
  });

  it('reads error-shaped objects from another realm and plain values', () => {
    expect(errorText({ message: 'boom' })).toBe('boom');
    expect(errorText('plain')).toBe('plain');
    expect(errorText(new Error('alone'))).toBe('alone');
  });
});
