import type { Admin } from 'kafkajs';

/**
 * Readiness probes. Each makes one cheap request; the health registry applies the timeout and turns a throw into
 * "not ready" with the message as detail.
 */
export const kafkaReachable = (admin: Admin) => async () => {
  const cluster = await admin.describeCluster();
  return { ok: cluster.brokers.length > 0, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}` };
};

export const registryReachable = (url: string) => async (signal: AbortSignal) => {
  const response = await fetch(`${url}/config`, { signal });
  return { ok: response.ok, detail: `GET /config → ${response.status}` };
};
