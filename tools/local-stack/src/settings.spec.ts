import * as path from 'node:path';
import { ConfigError, LOCAL_KAFKA_BROKERS, LOCAL_SCHEMA_REGISTRY_URL, parseEnv } from '@meterline/config';
import { kafkaBrokers, REPO_ROOT, resolveStackSettings, schemaRegistryUrl, stackEnv } from './settings';

const settingsFrom = (env: Record<string, string>, overrides = {}) => resolveStackSettings(parseEnv(stackEnv, env), overrides);

describe('stack settings', () => {
  it('defaults to the ports services assume when nothing is configured', () => {
    const s = settingsFrom({});
    expect(s).toMatchObject({ kafkaPort: 39092, kafkaControllerPort: 39093, registryPort: 38081, registryManagementPort: 38082 });
    expect(kafkaBrokers(s)).toEqual([LOCAL_KAFKA_BROKERS]);
    expect(schemaRegistryUrl(s)).toBe(LOCAL_SCHEMA_REGISTRY_URL);
    expect(s.dir).toBe(path.join(REPO_ROOT, '.cache', 'local-stack'));
  });

  it('moves the companion ports along with the main ones unless they are set too', () => {
    const s = settingsFrom({ METERLINE_KAFKA_PORT: '49092', METERLINE_REGISTRY_PORT: '48081' });
    expect(s).toMatchObject({ kafkaPort: 49092, kafkaControllerPort: 49093, registryPort: 48081, registryManagementPort: 48082 });
    expect(schemaRegistryUrl(s)).toBe('http://127.0.0.1:48081/apis/ccompat/v7');
    expect(settingsFrom({ METERLINE_KAFKA_CONTROLLER_PORT: '40000' }).kafkaControllerPort).toBe(40000);
  });

  it('lets explicit options win over the environment, and resolves a relative directory against the repository', () => {
    const s = settingsFrom({ METERLINE_KAFKA_PORT: '49092', METERLINE_STACK_DIR: 'tmp/stack-a' }, { kafkaPort: 41000 });
    expect(s.kafkaPort).toBe(41000);
    expect(s.dir).toBe(path.join(REPO_ROOT, 'tmp', 'stack-a'));
  });

  it('rejects port 0, which cannot be written into server.properties', () => {
    expect(() => settingsFrom({ METERLINE_REGISTRY_PORT: '0' })).toThrow(/METERLINE_REGISTRY_PORT.*fixed port/);
  });

  it('rejects two components on one port, naming both', () => {
    expect(() => settingsFrom({ METERLINE_REGISTRY_PORT: '39093' })).toThrow(ConfigError);
    expect(() => settingsFrom({ METERLINE_REGISTRY_PORT: '39093' })).toThrow(/registryPort \(39093\).*kafkaControllerPort/);
  });
});
