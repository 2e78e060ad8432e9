/**
 * This process's CPU time over a wall-clock span, as a percentage of one core: above ~100 % the Node side is the
 * bottleneck (the main thread is saturated; GC and libuv threads add the rest), well below it the waiting is elsewhere.
 */
export function cpuMeter(): () => number {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  return () => {
    const { user, system } = process.cpuUsage(cpuStart);
    return Math.round((user + system) / 10 / (performance.now() - wallStart));
  };
}
