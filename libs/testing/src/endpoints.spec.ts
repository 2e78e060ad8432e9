import { ConfigError } from '@meterline/config';
import { endpointsFrom } from './endpoints';

describe('test endpoints', () => {
  it('reads the brokers and registry URL the global setup exported', () => {
    expect(
      endpointsFrom({ KAFKA_BROKERS: '127.0.0.1:39092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:38081/apis/ccompat/v7/' }),
    ).toEqual({ kafkaBrokers: ['127.0.0.1:39092'], schemaRegistryUrl: 'http://127.0.0.1:38081/apis/ccompat/v7' });
  });

  it('has no default: without the global setup it says how to opt in', () => {
    expect(() => endpointsFrom({})).toThrow(ConfigError);
    expect(() => endpointsFrom({})).toThrow(/KAFKA_BROKERS \(unset\)[\s\S]*SCHEMA_REGISTRY_URL \(unset\)[\s\S]*jest-int\.js/);
  });
});
