import { parseExposition, type Exposition, type ExpositionFormat } from './exposition';
import { prometheusText } from './test-support/shared-data';

/*
 * The real expositions in ../shared/data/prometheus. Expected counts come from reading the files as plain lines:
 * none of them has a multi-line construct, so every non-empty line not starting with "#" is exactly one sample.
 */
const sampleLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
const typeLines = (text: string) => text.split('\n').filter((l) => l.startsWith('# TYPE ')).length;

function parse(file: string, format: ExpositionFormat): { text: string; exposition: Exposition } {
  const text = prometheusText(file);
  return { text, exposition: parseExposition(text, format) };
}

const labelOf = (sample: Exposition['samples'][number], name: string) => sample.labels.find((l) => l.name === name)?.value;

describe('parseExposition on real expositions', () => {
  it.each([
    ['node_exporter-1.5.0-scrape.prom.txt', 'text', 507],
    ['node_exporter_e2e-output.txt', 'text', 3027],
    ['cadvisor_prometheus_metrics.txt', 'text', 287],
    ['cadvisor_prometheus_machine_metrics.txt', 'text', 66],
    ['prometheus_textparse_alltypes.237mfs.prom.txt', 'text', 1857],
    ['prometheus_textparse_1histogram.om.txt', 'openmetrics', 42],
    ['prometheus_textparse_alltypes.5mfs.om.txt', 'openmetrics', 53],
  ] as const)('reads every sample line of %s (%s) and nothing else: %i samples', (file, format, count) => {
    const { text, exposition } = parse(file, format);
    expect(sampleLines(text)).toHaveLength(count);
    expect(exposition.errors).toEqual([]);
    expect(exposition.samples).toHaveLength(count);
    expect(exposition.samples.map((s) => s.text)).toEqual(sampleLines(text));
    expect(exposition.families.size).toBe(typeLines(text));
  });

  it('reads the node-exporter scrape without timestamps, with the values as written', () => {
    const { exposition } = parse('node_exporter-1.5.0-scrape.prom.txt', 'text');
    expect(exposition.samples.every((s) => s.timestampMs === undefined)).toBe(true);
    const find = (name: string) => exposition.samples.find((s) => s.name === name);
    expect(find('node_memory_MemTotal_bytes')?.value).toBe(25276502016);
    expect(find('node_boot_time_seconds')?.value).toBe(1795258929);
    expect(find('go_gc_duration_seconds')?.labels).toEqual([{ name: 'quantile', value: '0' }]);
    expect(exposition.families.get('go_gc_duration_seconds')).toEqual({
      type: 'summary',
      help: 'A summary of the pause duration of garbage collection cycles.',
    });
  });

  it('keeps a "#" inside a label value as part of the value (node_uname_info)', () => {
    const { exposition } = parse('node_exporter-1.5.0-scrape.prom.txt', 'text');
    const uname = exposition.samples.find((s) => s.name === 'node_uname_info');
    expect(uname && labelOf(uname, 'version')).toBe('#1 SMP PREEMPT_DYNAMIC @0');
    expect(uname?.value).toBe(1);
  });

  it('reads cAdvisor\'s explicit millisecond timestamps, and no timestamp where a line has none', () => {
    const { text, exposition } = parse('cadvisor_prometheus_metrics.txt', 'text');
    const stamped = sampleLines(text).filter((l) => l.endsWith(' 1395066363000')).length;
    expect(stamped).toBe(276);
    expect(exposition.samples.filter((s) => s.timestampMs === 1395066363000)).toHaveLength(stamped);
    expect(exposition.samples.filter((s) => s.timestampMs === undefined)).toHaveLength(287 - stamped);
    const working = exposition.samples.find((s) => s.name === 'container_memory_working_set_bytes');
    expect(working && [working.value, working.timestampMs]).toEqual([9, 1395066363000]);
  });

  it('reads the NaN quantiles of Prometheus\'s own scrape as NaN', () => {
    const { text, exposition } = parse('prometheus_textparse_alltypes.237mfs.prom.txt', 'text');
    const nanLines = sampleLines(text).filter((l) => l.endsWith(' NaN')).length;
    expect(nanLines).toBe(12);
    expect(exposition.samples.filter((s) => Number.isNaN(s.value))).toHaveLength(nanLines);
  });

  it('reads an OpenMetrics histogram, "+Inf" bucket included, up to "# EOF" without a final newline', () => {
    const { text, exposition } = parse('prometheus_textparse_1histogram.om.txt', 'openmetrics');
    expect(text.endsWith('# EOF')).toBe(true);
    const infBuckets = exposition.samples.filter((s) => labelOf(s, 'le') === '+Inf');
    expect(infBuckets.map((s) => [labelOf(s, 'port'), s.value])).toEqual([
      ['5001', 1],
      ['5002', 1],
      ['5003', 1],
    ]);
    expect(exposition.samples.filter((s) => s.name === 'golang_manual_histogram_seconds_sum').map((s) => s.value)).toEqual([10, 10, 10]);
  });

  it('reads OpenMetrics samples that carry exemplars by their own value, not the exemplar\'s', () => {
    const { text, exposition } = parse('prometheus_textparse_alltypes.5mfs.om.txt', 'openmetrics');
    const withExemplar = sampleLines(text).filter((l) => l.includes(' # {'));
    expect(withExemplar).toHaveLength(6);
    const samples = exposition.samples.filter((s) => s.text.includes(' # {'));
    // The value is the token right after the closing brace of the labels, as read from the line itself.
    expect(samples.map((s) => s.value)).toEqual(withExemplar.map((l) => Number(l.split('} ')[1]?.split(' ')[0])));
    expect(samples.map((s) => s.timestampMs)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('reads OpenMetrics _created samples as their float seconds values', () => {
    const { exposition } = parse('prometheus_textparse_alltypes.5mfs.om.txt', 'openmetrics');
    const created = exposition.samples.find(
      (s) => s.name === 'promhttp_metric_handler_errors_created' && labelOf(s, 'cause') === 'encoding',
    );
    expect(created?.value).toBe(1726839813.016397);
    expect(exposition.families.get('promhttp_metric_handler_errors')?.type).toBe('counter');
  });
});
