// The database settings of `sloforge receiver --database`: the URL, the password file, TLS, and
// that no message ever repeats the password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { describeDatabase, describeDbError, parseDatabaseUrl, poolConfig } from '../../src/receiver/postgres/connection.js';
import { UserError } from '../../src/errors.js';

const SECRET = 's3cr3t-Pa55';

test('a URL is read into its parts; the database defaults to the user, the port to 5432', () => {
  assert.deepEqual(parseDatabaseUrl('postgres://rx@db.example:6432/alerts?sslmode=verify-full'), {
    target: { host: 'db.example', port: 6432, database: 'alerts', user: 'rx' },
    sslMode: 'verify-full',
  });
  assert.deepEqual(parseDatabaseUrl(`postgresql://rx:${encodeURIComponent('p@ss/w:rd')}@db`), {
    target: { host: 'db', port: 5432, database: 'rx', user: 'rx' },
    password: 'p@ss/w:rd',
  });
  assert.equal(parseDatabaseUrl('postgres://rx@x/db?host=/run/postgresql').target.host, '/run/postgresql');
});

test('a bad URL names the flag and never repeats the URL (it may hold a password)', () => {
  for (const url of [
    `mysql://rx:${SECRET}@db/x`,
    `postgres://:${SECRET}@db/x`,
    `postgres://rx:${SECRET}@db/x?sslmode=maybe`,
    `postgres://rx:${SECRET}@db/x?connect_timeout=1`,
    `not a url ${SECRET}`,
  ]) {
    assert.throws(
      () => parseDatabaseUrl(url),
      (err: Error) => err instanceof UserError && err.message.includes('--database') && !err.message.includes(SECRET),
      url,
    );
  }
});

test('the password file wins over the URL; TLS modes map to verification settings', async () => {
  const dir = tempDir('sloforge-db-');
  const pw = path.join(dir, 'pw');
  await writeFile(pw, `${SECRET}\n`);
  const ca = path.join(dir, 'ca.pem');
  await writeFile(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const { config, target } = await poolConfig({ url: 'postgres://rx:old@db/alerts', passwordFile: pw });
  assert.equal(config.password, SECRET, 'the trailing newline is dropped');
  assert.equal(config.ssl, false);
  assert.equal(describeDatabase(target), 'postgres://rx@db:5432/alerts (sslmode disable)');

  const full = (await poolConfig({ url: 'postgres://rx@db/alerts', sslMode: 'verify-full', caFile: ca })).config.ssl as Record<
    string,
    unknown
  >;
  assert.equal(full.rejectUnauthorized, true);
  assert.match(String(full.ca), /BEGIN CERTIFICATE/);
  assert.equal(full.checkServerIdentity, undefined, 'verify-full checks the host name');
  const verifyCa = (await poolConfig({ url: 'postgres://rx@db/alerts?sslmode=verify-ca', caFile: ca })).config.ssl as Record<
    string,
    unknown
  >;
  assert.equal(typeof verifyCa.checkServerIdentity, 'function');
  const require = (await poolConfig({ url: 'postgres://rx@db/alerts', sslMode: 'require' })).config.ssl as Record<string, unknown>;
  assert.equal(require.rejectUnauthorized, false);

  await assert.rejects(poolConfig({ url: 'postgres://rx@db/a', caFile: ca }), /--database-ca-file.*verify-full/);
  await assert.rejects(
    poolConfig({ url: 'postgres://rx@db/a', passwordFile: path.join(dir, 'missing') }),
    /missing: cannot read the database password \(--database-password-file\): ENOENT/,
  );
  await writeFile(pw, '\n');
  await assert.rejects(poolConfig({ url: 'postgres://rx@db/a', passwordFile: pw }), /password file is empty/);
});

test('database errors are described without the password or a URL holding one', () => {
  assert.equal(
    describeDbError(Object.assign(new Error(`auth failed for ${SECRET}`), { code: '28P01' }), SECRET),
    'auth failed for *** (28P01)',
  );
  assert.equal(describeDbError(new Error(`cannot reach postgres://rx:${SECRET}@db/x`)), 'cannot reach postgres://***@db/x');
});
