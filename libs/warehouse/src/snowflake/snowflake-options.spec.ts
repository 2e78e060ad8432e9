import { thrown } from '../test-support/errors';
import { connectionOptions, type SnowflakeWarehouseOptions } from './snowflake-options';

const base: SnowflakeWarehouseOptions = { account: 'acme-prod', user: 'DWH_LOADER', auth: { password: 'secret' }, database: 'METRICS', schema: 'RAW' };
const PEM = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF...\n-----END ENCRYPTED PRIVATE KEY-----\n';

describe('connectionOptions', () => {
  it('passes account, user, role, warehouse, database and schema, with password auth', () => {
    expect(connectionOptions({ ...base, role: 'LOADER', warehouse: 'LOAD_WH' })).toMatchObject({
      account: 'acme-prod',
      username: 'DWH_LOADER',
      role: 'LOADER',
      warehouse: 'LOAD_WH',
      database: 'METRICS',
      schema: 'RAW',
      authenticator: 'SNOWFLAKE',
      password: 'secret',
      clientSessionKeepAlive: true,
    });
  });

  it('uses key-pair auth (SNOWFLAKE_JWT) with the key as PEM text or a file, and its passphrase', () => {
    expect(connectionOptions({ ...base, auth: { privateKey: PEM, passphrase: 'p' } })).toMatchObject({ authenticator: 'SNOWFLAKE_JWT', privateKey: PEM, privateKeyPass: 'p' });
    const fromFile = connectionOptions({ ...base, auth: { privateKeyPath: '/run/secrets/rsa_key.p8' } });
    expect(fromFile).toMatchObject({ authenticator: 'SNOWFLAKE_JWT', privateKeyPath: '/run/secrets/rsa_key.p8' });
    expect(fromFile).not.toHaveProperty('password');
    expect(fromFile).not.toHaveProperty('privateKeyPass');
  });

  it('keeps array binds inline in the SDK whatever their size: the stage threshold decides', () => {
    expect(connectionOptions(base).arrayBindingThreshold).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('reports every problem at once as a fatal configuration error', () => {
    const error = thrown(() =>
      connectionOptions({ ...base, account: '', schema: ' ', auth: { password: 'x', privateKey: 'not a key' } as never, accessUrl: 'localhost:1', stageThreshold: 0 }),
    );
    expect([error.kind, error.code]).toEqual(['fatal', 'WAREHOUSE_CONFIG']);
    expect(error.message).toBe(
      'Snowflake warehouse options: account is required; schema is required; auth needs exactly one of password, privateKey, privateKeyPath ' +
        '(got password, privateKey); auth.privateKey is not a PEM private key; accessUrl localhost:1 is not an http(s) URL; ' +
        'stageThreshold must be a positive integer (got 0)',
    );
  });
});
