import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { baseEnv, parseEnv, SERVICE_NAMES, SERVICES, type ServiceName } from '@meterline/config';
import { parseCompose, serviceByImage, serviceNamed, words, type ComposeFile } from './compose';
import { durationMs } from './durations';
import { kafkaBroker, kafkaInNetworkListener, parseListeners, SCHEMA_REGISTRY_IMAGE } from './kafka-listeners';
import { DEPLOY_FILES, dockerfileOf, readYaml, repoPath } from './repo';

const compose: ComposeFile = parseCompose(readYaml(DEPLOY_FILES.compose));

/** Consumer-group workers without an API of their own: they must stay scalable (`--scale`). */
const SCALABLE: readonly ServiceName[] = ['enrichment', 'dwh-loader'];

const [kafkaName, kafka] = kafkaBroker(compose);
const [registryName, registry] = serviceByImage(compose, SCHEMA_REGISTRY_IMAGE);
const inNetwork = kafkaInNetworkListener(compose);
const inNetworkKafka = `${inNetwork.host}:${inNetwork.port}`;
const registryPort = new URL(registry.environment['SCHEMA_REGISTRY_LISTENERS'] ?? '').port;
const registryUrl = `http://${registryName}:${registryPort}`;
const [kafkaInitName, kafkaInit] = Object.entries(compose.services).find(([, s]) =>
  s.volumes.some((m) => m.source === `./${DEPLOY_FILES.createTopics}`),
) ?? [undefined, undefined];

const configOf = (name: ServiceName) => parseEnv(baseEnv(name), serviceNamed(compose, name).environment);

describe('docker-compose.yml: the services', () => {
  it('has exactly one service per SERVICE_NAMES entry built from an app Dockerfile', () => {
    const built = Object.keys(compose.services).filter((name) => compose.services[name]?.build !== undefined);
    expect(built.sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it.each(SERVICE_NAMES)('builds %s from its own Dockerfile at the repository root and tags it meterline/<name>', (name) => {
    const service = serviceNamed(compose, name);
    expect(service.build).toEqual({ context: '.', dockerfile: dockerfileOf(name) });
    expect(existsSync(repoPath(dockerfileOf(name)))).toBe(true);
    expect(service.image).toBe(`meterline/${name}`);
  });

  it.each(SERVICE_NAMES)('gives %s an environment its config accepts, on its default HTTP_PORT', (name) => {
    const config = configOf(name);
    expect(config.httpPort).toBe(SERVICES[name].httpPort);
    expect(config.kafkaBrokers).toEqual([inNetworkKafka]);
    expect(config.schemaRegistryUrl).toBe(registryUrl);
  });

  it('gives every service the same shared environment apart from HTTP_PORT', () => {
    const shared = SERVICE_NAMES.map((name) => {
      const { HTTP_PORT: _own, ...rest } = serviceNamed(compose, name).environment;
      return rest;
    });
    for (const env of shared) expect(env).toEqual(shared[0]);
  });

  it.each(SERVICE_NAMES)('starts %s after a healthy broker and registry and the created topics', (name) => {
    expect(kafkaInitName).toBeDefined();
    expect(serviceNamed(compose, name).depends_on).toEqual({
      [kafkaName]: 'service_healthy',
      [registryName]: 'service_healthy',
      [String(kafkaInitName)]: 'service_completed_successfully',
    });
  });

  it.each(SERVICE_NAMES)('restarts %s unless stopped and lets it finish its own graceful shutdown first', (name) => {
    const service = serviceNamed(compose, name);
    expect(service.restart).toBe('unless-stopped');
    expect(durationMs(service.stop_grace_period ?? '10s')).toBeGreaterThan(configOf(name).shutdownTimeoutMs);
  });

  it.each(SCALABLE)('publishes no host port and names no container for %s, so it scales', (name) => {
    const service = serviceNamed(compose, name);
    expect(service.ports).toEqual([]);
    expect(service.container_name).toBeUndefined();
  });

  const withApi = SERVICE_NAMES.filter((n) => !SCALABLE.includes(n));
  it.each(withApi)('publishes %s only on its own HTTP_PORT, on localhost', (name) => {
    const port = SERVICES[name].httpPort;
    expect(serviceNamed(compose, name).ports).toEqual([{ hostIp: '127.0.0.1', published: String(port), target: port }]);
  });

  it('keeps dwh-loader /data on a named volume', () => {
    const data = serviceNamed(compose, 'dwh-loader').volumes.find((m) => m.target === '/data');
    expect(data?.type).toBe('volume');
    expect(Object.keys(compose.volumes)).toContain(data?.source);
  });
});

describe('docker-compose.yml: Kafka, the registry and the topics', () => {
  const env = kafka.environment;
  const listeners = parseListeners(env['KAFKA_LISTENERS'] ?? '');
  const advertised = parseListeners(env['KAFKA_ADVERTISED_LISTENERS'] ?? '');

  it('runs one KRaft node as broker and controller, with its own quorum', () => {
    expect((env['KAFKA_PROCESS_ROLES'] ?? '').split(',').sort()).toEqual(['broker', 'controller']);
    const controller = listeners.find((l) => l.name === env['KAFKA_CONTROLLER_LISTENER_NAMES']);
    expect(env['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe(`${env['KAFKA_NODE_ID']}@${kafkaName}:${controller?.port}`);
    expect(env['CLUSTER_ID']).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('creates no topic on demand, waits for no late group member and keeps one replica of everything', () => {
    expect(env['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
    expect(env['KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS']).toBe('0');
    const replication = Object.entries(env).filter(([k]) => /REPLICATION_FACTOR$|MIN_ISR$|MIN_INSYNC_REPLICAS$/.test(k));
    expect(replication.map(([k]) => k)).toEqual(
      expect.arrayContaining(['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR']),
    );
    for (const [, value] of replication) expect(value).toBe('1');
  });

  it('advertises each listener it binds, on the same port, with a security protocol', () => {
    const protocols = (env['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP'] ?? '').split(',').map((p) => p.split(':')[0]);
    for (const l of advertised) {
      expect(listeners.find((b) => b.name === l.name)?.port).toBe(l.port);
      expect(protocols).toContain(l.name);
    }
    expect(env['KAFKA_INTER_BROKER_LISTENER_NAME']).toBe(inNetwork.name);
  });

  it('publishes on the host exactly the listeners it advertises for the host, on localhost only', () => {
    const forHost = advertised.filter((l) => l.name !== inNetwork.name);
    for (const l of forHost) expect(l.host).toBe('localhost');
    expect(kafka.ports).toEqual(forHost.map((l) => ({ hostIp: '127.0.0.1', published: String(l.port), target: l.port })));
  });

  it('reports Kafka healthy only once kafka-broker-api-versions.sh gets an answer from its in-network listener', () => {
    const test = words(kafka.healthcheck?.test);
    expect(test.some((w) => w.endsWith('/kafka-broker-api-versions.sh'))).toBe(true);
    expect(test[test.indexOf('--bootstrap-server') + 1]).toBe(`localhost:${inNetwork.port}`);
  });

  it('stores schemas on the in-network listener with global BACKWARD compatibility, and has a health check', () => {
    const renv = registry.environment;
    expect((renv['SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS'] ?? '').replace(/^PLAINTEXT:\/\//, '')).toBe(inNetworkKafka);
    expect(renv['SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL']?.toUpperCase()).toBe('BACKWARD');
    expect(registry.depends_on).toEqual({ [kafkaName]: 'service_healthy' });
    expect(words(registry.healthcheck?.test).join(' ')).toContain(`localhost:${registryPort}`);
  });

  it('runs the generated create-topics script once, with the broker image, against the in-network listener', () => {
    expect(kafkaInit).toBeDefined();
    const script = kafkaInit?.volumes.find((m) => m.source === `./${DEPLOY_FILES.createTopics}`);
    expect(script).toMatchObject({ type: 'bind', readOnly: true });
    expect([...words(kafkaInit?.entrypoint), ...words(kafkaInit?.command)]).toContain(script?.target);
    expect(kafkaInit?.image).toBe(kafka.image);
    expect(kafkaInit?.environment['BOOTSTRAP_SERVER']).toBe(inNetworkKafka);
    expect(kafkaInit?.depends_on).toEqual({ [kafkaName]: 'service_healthy' });
    expect(kafkaInit?.restart ?? 'no').toBe('no');
  });

  it('mounts only host paths that exist', () => {
    const binds = Object.values(compose.services).flatMap((s) => s.volumes.filter((m) => m.type === 'bind'));
    const missing = binds.map((m) => m.source ?? '').filter((source) => !existsSync(path.resolve(repoPath('.'), source)));
    expect(missing).toEqual([]);
  });

  it('declares every named volume it mounts', () => {
    const named = Object.values(compose.services).flatMap((s) => s.volumes.filter((m) => m.type === 'volume' && m.source));
    for (const m of named) expect(Object.keys(compose.volumes)).toContain(m.source);
  });
});
