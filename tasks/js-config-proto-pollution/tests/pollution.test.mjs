import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, envLayer, loadConfig, mergeLayers, parseOverrides, setPath } from '../src/index.mjs';

const MARKERS = ['polluted', 'isAdmin'];

function assertClean() {
  for (const marker of MARKERS) {
    assert.equal({}[marker], undefined, `Object.prototype.${marker} was set`);
    assert.equal(Object.hasOwn(Object.prototype, marker), false);
  }
}

afterEach(() => {
  for (const marker of MARKERS) delete Object.prototype[marker];
});

function configDir(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layercfg-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('prototype pollution', () => {
  test('mergeLayers rejects a top-level __proto__ key', () => {
    const upload = JSON.parse('{"__proto__": {"isAdmin": true}, "server": {"port": 1}}');
    assert.throws(() => mergeLayers({ server: {} }, upload), ConfigError);
    assertClean();
  });

  test('mergeLayers rejects nested __proto__, constructor and prototype keys', () => {
    const layers = [
      '{"server": {"__proto__": {"polluted": 1}}}',
      '{"a": {"b": {"constructor": {"prototype": {"polluted": 1}}}}}',
      '{"list": [{"__proto__": {"polluted": 1}}]}',
      '{"prototype": {"polluted": 1}}',
    ];
    for (const text of layers) {
      assert.throws(() => mergeLayers({ server: { port: 1 } }, JSON.parse(text)), ConfigError, text);
      assertClean();
    }
  });

  test('--set overrides cannot reach a prototype', () => {
    for (const assignment of [
      '__proto__.polluted=true',
      'constructor.prototype.isAdmin=true',
      'server.constructor.prototype.polluted=1',
      'server.__proto__=1',
    ]) {
      assert.throws(() => parseOverrides(['--set', assignment]), ConfigError, assignment);
      assertClean();
    }
  });

  test('environment overrides cannot reach a prototype', () => {
    for (const name of ['APP__CONSTRUCTOR__PROTOTYPE__POLLUTED', 'APP__PROTOTYPE__POLLUTED', 'APP__SERVER__CONSTRUCTOR__PROTOTYPE__IS_ADMIN']) {
      assert.throws(() => envLayer({ [name]: 'true', APP__SERVER__PORT: '1' }), ConfigError, name);
      assertClean();
    }
  });

  test('setPath refuses prototype segments', () => {
    const target = { server: {} };
    assert.throws(() => setPath(target, 'server.__proto__.polluted', 1), ConfigError);
    assert.throws(() => setPath(target, 'constructor.prototype.polluted', 1), ConfigError);
    assertClean();
    assert.deepEqual(target, { server: {} });
  });

  test('loadConfig names the offending file', () => {
    const dir = configDir({
      'default.json': '{"server": {"port": 8080}}',
      'local.json': '{"features": {"__proto__": {"isAdmin": true}}}',
    });
    assert.throws(
      () => loadConfig({ dir }),
      (error) => error instanceof ConfigError && error.message.includes('local.json'),
    );
    assertClean();
  });
});

describe('layering keeps working', () => {
  test('objects merge, arrays and scalars replace, null removes', () => {
    const defaults = { server: { host: 'h', port: 1 }, admins: ['a'], drop: { x: 1 } };
    const env = { server: { port: 2 }, admins: ['b', 'c'], drop: null };
    const merged = mergeLayers(defaults, env);
    assert.deepEqual(merged, { server: { host: 'h', port: 2 }, admins: ['b', 'c'] });
    assert.deepEqual(defaults.server, { host: 'h', port: 1 });
    merged.admins.push('z');
    assert.deepEqual(env.admins, ['b', 'c']);
  });

  test('ordinary keys that look like Object methods are plain data', () => {
    const merged = mergeLayers({ toString: 'x' }, { hasOwnProperty: { deep: true }, valueOf: 3 });
    assert.deepEqual(Object.keys(merged).sort(), ['hasOwnProperty', 'toString', 'valueOf']);
    assert.equal(merged.hasOwnProperty.deep, true);
  });

  test('overrides parse JSON values and escaped dots', () => {
    const layer = parseOverrides([
      '--set', 'server.port=8081',
      '--set=features.search=true',
      '--set', 'hosts.api\\.internal=["a","b"]',
      '--set', 'name=plain text',
    ]);
    assert.deepEqual(layer, {
      server: { port: 8081 },
      features: { search: true },
      hosts: { 'api.internal': ['a', 'b'] },
      name: 'plain text',
    });
  });

  test('environment variables become a layer', () => {
    assert.deepEqual(envLayer({ APP__SERVER__PORT: '8081', APP__DATABASE__POOL__MAX_SIZE: '20', OTHER: 'x' }), {
      server: { port: 8081 },
      database: { pool: { maxSize: 20 } },
    });
  });

  test('loadConfig layers files and overrides in order', () => {
    const dir = configDir({
      'default.json': '{"server": {"port": 8080, "host": "0.0.0.0"}, "db": {"pool": {"max": 10}}}',
      'production.json': '{"db": {"pool": {"max": 50}}}',
      'local.json': '{"server": {"host": "127.0.0.1"}}',
    });
    const environ = { APP__DB__POOL__MAX: '60', APP__SERVER__PORT: '1' };
    const config = loadConfig({ dir, env: 'production', argv: ['--set', 'server.port=9000'], environ });
    assert.deepEqual(config, { server: { port: 9000, host: '127.0.0.1' }, db: { pool: { max: 60 } } });
  });
});
