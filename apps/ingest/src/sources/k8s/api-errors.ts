import { fatalError, transientError, type MeterlineError } from '@meterline/stream';

/**
 * How the Kubernetes source's failures are classified. Fatal ones are configuration problems that no retry can fix,
 * so their message names the fix; transient ones (the API server or metrics-server briefly unwell) are retried on the
 * next poll.
 */
export const K8sErrorCode = {
  unauthorized: 'K8S_UNAUTHORIZED',
  forbidden: 'K8S_FORBIDDEN',
  metricsApiMissing: 'K8S_METRICS_API_MISSING',
  notFound: 'K8S_NOT_FOUND',
  rejected: 'K8S_REQUEST_REJECTED',
  throttled: 'K8S_THROTTLED',
  listExpired: 'K8S_LIST_EXPIRED',
  serverError: 'K8S_SERVER_ERROR',
  timeout: 'K8S_TIMEOUT',
  unreachable: 'K8S_UNREACHABLE',
  tlsUntrusted: 'K8S_TLS_UNTRUSTED',
  tokenFile: 'K8S_TOKEN_FILE_UNREADABLE',
  caFile: 'K8S_CA_FILE_UNREADABLE',
  badResponse: 'K8S_BAD_RESPONSE',
  unexpectedResponse: 'K8S_UNEXPECTED_RESPONSE',
} as const;

const METRICS_API_PREFIX = '/apis/metrics.k8s.io/';

const RBAC_FIX =
  'grant the service account a ClusterRole with get/list on "nodes" and "pods" in the core group and on "nodes" and ' +
  '"pods" in the "metrics.k8s.io" group, bound with a ClusterRoleBinding';

/** Kubernetes answers errors with a `Status` object whose `message` says what went wrong; fall back to the raw text. */
function statusMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') {
      return parsed.message;
    }
  } catch {
    // Not JSON (a proxy's HTML page, "404 page not found"): the text itself is the best description.
  }
  return body.trim().slice(0, 300);
}

/** The error for a response whose status is not 2xx. */
export function httpStatusError(status: number, method: string, url: string, path: string, body: string): MeterlineError {
  const said = statusMessage(body);
  const what = `${method} ${url} answered ${status}${said ? `: ${said}` : ''}`;
  const details = { status, path };
  if (status === 401) {
    return fatalError(
      K8sErrorCode.unauthorized,
      `${what} — the API server rejected the bearer token: set a valid INGEST_K8S_TOKEN or INGEST_K8S_TOKEN_FILE ` +
        '(in a pod with INGEST_K8S_IN_CLUSTER=true: check that the service account token is mounted and not expired)',
      { details },
    );
  }
  if (status === 403) {
    return fatalError(K8sErrorCode.forbidden, `${what} — ${RBAC_FIX}`, { details });
  }
  if (status === 404 && path.startsWith(METRICS_API_PREFIX)) {
    // kube-apiserver serves metrics.k8s.io only through metrics-server's APIService; without it the group is unknown.
    // (Installed but not running is a 503 instead, which is transient.)
    return fatalError(
      K8sErrorCode.metricsApiMissing,
      `${what} — the metrics.k8s.io API is not served: metrics-server is not installed in this cluster (install it, ` +
        'e.g. kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml, ' +
        'and check `kubectl get apiservice v1beta1.metrics.k8s.io`)',
      { details },
    );
  }
  if (status === 404) {
    return fatalError(K8sErrorCode.notFound, `${what} — is INGEST_K8S_API_URL the API server's base URL?`, { details });
  }
  if (status === 429) return transientError(K8sErrorCode.throttled, what, { details });
  // A `continue` token outlived the API server's compaction window; the next poll lists again from the start.
  if (status === 410) return transientError(K8sErrorCode.listExpired, what, { details });
  if (status >= 500) return transientError(K8sErrorCode.serverError, what, { details });
  return fatalError(K8sErrorCode.rejected, what, { details });
}

// Node's TLS verification failures: retrying cannot make an untrusted certificate trusted.
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// Read structurally rather than with instanceof, which fails for errors from Node's own modules under Jest's realm.
const codeOf = (err: unknown): string | undefined =>
  err !== null && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
const messageOf = (err: unknown): string =>
  err !== null && typeof err === 'object' && 'message' in err && typeof err.message === 'string'
    ? err.message
    : String(err);

/** The error for a request that got no HTTP answer: TLS failures are fatal, everything else on the wire is transient. */
export function requestFailureError(err: unknown, method: string, url: string): MeterlineError {
  const code = codeOf(err) ?? 'UNKNOWN';
  const message = messageOf(err);
  if (TLS_CODES.has(code)) {
    return fatalError(
      K8sErrorCode.tlsUntrusted,
      `${method} ${url}: the API server's certificate is not trusted (${code}: ${message}) — set INGEST_K8S_CA_FILE ` +
        'to the cluster CA (in a pod: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt)',
      { cause: err, details: { cause: code } },
    );
  }
  return transientError(K8sErrorCode.unreachable, `${method} ${url} failed: ${code} ${message}`, {
    cause: err,
    details: { cause: code },
  });
}
