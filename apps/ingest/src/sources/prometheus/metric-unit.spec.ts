import { unitOfMetric } from './metric-unit';

describe('unitOfMetric', () => {
  it.each([
    ['node_memory_MemTotal_bytes', 'bytes'],
    ['node_network_receive_bytes_total', 'bytes'],
    ['node_cpu_seconds_total', 'seconds'],
    ['process_start_time_seconds', 'seconds'],
    ['http_request_duration_seconds_sum', 'seconds'],
    ['node_hwmon_temp_celsius', 'celsius'],
    ['kube_node_status_capacity_cpu_cores', 'cores'],
    ['disk_used_percent', 'percent'],
    ['node_filesystem_usage_ratio', ''],
    ['http_request_duration_seconds_bucket', ''],
    ['http_request_duration_seconds_count', ''],
    ['promhttp_metric_handler_errors_created', 'seconds'],
    ['node_load1', ''],
    ['go_goroutines', ''],
    ['node_context_switches_total', ''],
    ['bytes', 'bytes'],
  ])('gives %s the unit "%s"', (name, unit) => {
    expect(unitOfMetric(name)).toBe(unit);
  });
});
