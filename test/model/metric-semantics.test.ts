import { describe, expect, it } from 'vitest';
import {
  harmfulMagnitude,
  isLoadMetric,
  metricSemantics,
  normaliseMetricName,
} from '../../src/model/metric-semantics.js';

describe('metric semantics', () => {
  it('reads direction and family from the name', () => {
    expect(metricSemantics('latency_p99')).toEqual({ family: 'latency', direction: 'up' });
    expect(metricSemantics('availability_Average')).toEqual({ family: 'availability', direction: 'down' });
    expect(metricSemantics('error_rate')).toEqual({ family: 'errors', direction: 'up' });
    expect(metricSemantics('requests_Sum').direction).toBe('both');
  });

  it.each([
    // Request-facing series (inclusive of what a service calls).
    ['PodServerLatencyP90(s)', 'latency'],
    ['PodClientLatencyP99(s)', 'latency'],
    ['PodSuccessRate(%)', 'availability'],
    ['http_requests_5xx', 'errors'],
    // A container's or machine's own state: page faults and memory failures are memory events, a
    // disk's latency and byte counts are the disk's, per-CPU memory is memory.
    ['memory_failures_total', 'memory'],
    ['node_vmstat_pgmajfault', 'memory'],
    ['page_fault', 'memory'],
    ['node_memory_Percpu_bytes', 'memory'],
    ['CpuUsageRate(%)', 'cpu'],
    ['MemoryUsageRate(%)', 'memory'],
    ['disk_read_latency', 'disk'],
    ['fs_writes_bytes_total', 'disk'],
    ['container_fs_reads_bytes_total', 'disk'],
    ['network_transmit_bytes_total', 'network'],
    ['kube_pod_container_status_restarts_total', 'restarts'],
    // Not disk: a disk's errors are errors, a request SLI whose name starts with "disk" is latency.
    ['node_filesystem_device_error', 'errors'],
    ['envoy_filesystem_write_failed', 'errors'],
    ['diskcache_request_duration_seconds', 'latency'],
    // Short names benchmark exporters use: per-service cpu, mem, diskio, socket, net_in, workload, latency-90.
    ['mem', 'memory'],
    ['diskio', 'disk'],
    ['socket', 'network'],
    ['sockets', 'network'],
    ['net_in', 'network'],
    ['workload', 'requests'],
    ['tps', 'requests'],
    ['latency-90', 'latency'],
    ['p99', 'latency'],
    // Abbreviations: an error rate is no flow of requests, a success rate is availability.
    ['err_rate', 'errors'],
    ['ErrCount', 'errors'],
    ['succ_rate', 'availability'],
    ['SuccRate', 'availability'],
    ['node_load1', 'cpu'],
    ['system.load.average.1m', 'cpu'],
    ['node_netstat_Tcp_RetransSegs', 'network'],
    ['tcp_retrans', 'network'],
    ['tcp_retrans_rate', 'network'],
    // A NIC's or TCP stack's errors and drops are the network's, not requests failing.
    ['node_network_receive_errs_total', 'network'],
    ['container_network_receive_errors_total', 'network'],
    ['node_netstat_Tcp_InErrs', 'network'],
    ['node_network_transmit_drop_total', 'network'],
    // Whole words only: a workload is no load average, an errand no error; a page's load time is no CPU.
    ['pod_workload', 'requests'],
    ['errand_count', 'requests'],
    ['std_err_bytes', 'network'],
    ['page_load_avg_ms', 'page_load_avg_ms'],
    ['upstream_load_avg', 'upstream_load_avg'],
    ['http_p95_ms', 'latency'],
    // …but a percentile of something named is that thing.
    ['cpu_p95', 'cpu'],
    ['memory_p99', 'memory'],
    ['request_size_p99', 'requests'],
    // Whole words only: https is no tps, netty no net.
    ['https_connections', 'https_connections'],
    ['netty_eventloop_pending', 'netty_eventloop_pending'],
    // Words in any spelling: CamelCase, dots, brackets, hyphens.
    ['PodWorkload(Ops)', 'requests'],
    ['MemUsage', 'memory'],
    ['GCTime', 'memory'],
    ['ResponseTime', 'latency'],
    ['http.server.request.duration', 'latency'],
    ['k8s.pod.cpu.utilization', 'cpu'],
    ['rx-errors', 'network'],
    ['tx_bytes', 'network'],
    // Short words only whole: consumer holds sum, generated rate, syscalls calls, memcached mem.
    ['kafka_consumer_lag', 'kafka_consumer_lag'],
    ['generated_events_total', 'generated_events_total'],
    ['syscalls_total', 'syscalls_total'],
    ['memcached_hits', 'memcached_hits'],
    ['rpc_calls_total', 'requests'],
    ['http_requests_count', 'requests'],
    // Health, free memory and status classes: the word decides, not a fragment of it.
    ['node_memory_MemAvailable_bytes', 'memory'],
    ['envoy_cluster_health_check_failure', 'errors'],
    ['UnHealthyHostCount', 'errors'],
    ['unhealthy_targets', 'errors'],
    ['HealthyHostCount', 'availability'],
    ['process_uptime_seconds', 'process_uptime_seconds'],
    ['HTTPCode_Target_5XX_Count', 'errors'],
    ['HTTPCode_ELB_4XX_Count', 'errors'],
    ['go_memstats_alloc_bytes', 'memory'],
    ['memory_available_bytes', 'memory'],
    ['AvailableMemory', 'memory'],
    ['MemoryAvailableMB', 'memory'],
    ['Http5xx', 'errors'],
    ['ELB5XXCount', 'errors'],
    ['non_healthy', 'errors'],
    // A collector's pauses are memory; a latency of successful requests is latency.
    ['go_gc_duration_seconds', 'memory'],
    ['jvm.gc.duration', 'memory'],
    ['SuccessfulRequestLatency', 'latency'],
    ['node_filesystem_avail_bytes', 'disk'],
  ])('%s is %s', (name, family) => {
    expect(metricSemantics(name).family).toBe(family);
  });

  it.each([
    ['PodWorkload(Ops)', 'pod_workload_ops'],
    ['http.server.duration', 'http_server_duration'],
    ['HTTPCode_Target_5XX_Count', 'http_code_target_5xx_count'],
    ['numGCs', 'num_gcs'],
    ['s3BucketSize', 's3_bucket_size'],
    ['node_netstat_Tcp_InSegs', 'node_netstat_tcp_in_segs'],
  ])('normalises %s to %s', (name, normalised) => {
    expect(normaliseMetricName(name)).toBe(normalised);
  });

  it('counts a move in the harmless direction only by the benign share', () => {
    expect(harmfulMagnitude(-8, 'down', 0)).toBe(8);
    expect(harmfulMagnitude(8, 'down', 0)).toBe(0);
    expect(harmfulMagnitude(8, 'down', 0.5)).toBe(4);
    expect(harmfulMagnitude(-8, 'both', 0)).toBe(8);
  });
});

describe('isLoadMetric: a flow of requests, which adds up over instances', () => {
  it.each([
    'request_rate',
    'requests_total',
    'requests_Sum',
    'PodWorkload(Ops)',
    'qps',
    'http_requests_total',
    'request_rate@pod-a1',
  ])('%s is load', (m) => expect(isLoadMetric(m)).toBe(true));
  it.each([
    'http_server_requests_seconds_max',
    'request_size_avg',
    'avg_request_size',
    'requests_per_connection',
    'rate_limit',
    'hit_rate',
    'sampling_rate',
    'request_ratio',
    'latency_p99',
    'cpu_usage',
  ])('%s is not', (m) => expect(isLoadMetric(m)).toBe(false));
});
