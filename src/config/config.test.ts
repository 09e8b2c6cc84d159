import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicConfig } from './config.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'coachhub-config-'));

describe('loadConfig', () => {
  it('starts with zero configuration on the embedded database', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({ PORT: 3000, databaseKind: 'embedded', PUBLIC_URL: 'http://localhost:3000', SIGNUP_ENABLED: true });
    expect(config.CORS_ORIGINS).toEqual(['http://localhost:3000']);
  });

  it('reads voice time limits per conversation kind: one number for all, or kind=ms pairs over the defaults; a bad pair names the variable', () => {
    const all = loadConfig({ DATA_DIR: dataDir(), VOICE_MAX_SESSION_MS: '600000' });
    expect(new Set(Object.values(all.VOICE_MAX_SESSION_MS))).toEqual(new Set([600_000]));
    const some = loadConfig({ DATA_DIR: dataDir(), VOICE_IDLE_TIMEOUT_MS: 'kiosk=30000, interview=600000' });
    expect(some.VOICE_IDLE_TIMEOUT_MS).toEqual({ coach: 120_000, roleplay: 120_000, debrief: 120_000, interview: 600_000, kiosk: 30_000 });
    for (const bad of ['kiosk=1', 'lobby=60000', 'kiosk']) {
      expect(() => loadConfig({ DATA_DIR: dataDir(), VOICE_IDLE_TIMEOUT_MS: bad })).toThrow(/VOICE_IDLE_TIMEOUT_MS/);
    }
  });

  it('names the variable that is wrong', () => {
    const attempt = (env: Record<string, string>) => {
      try {
        loadConfig({ DATA_DIR: dataDir(), ...env });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).issues.map((i) => i.variable);
      }
      throw new Error('expected a ConfigError');
    };
    expect(attempt({ PORT: 'eighty' })).toEqual(['PORT']);
    expect(attempt({ DATABASE_URL: 'mysql://x@y/z' })).toEqual(['DATABASE_URL']);
    expect(attempt({ REDIS_URL: 'nope' })).toEqual(['REDIS_URL']);
    expect(attempt({ AUTH_SECRET: 'short' })).toEqual(['AUTH_SECRET']);
    expect(attempt({ SIGNUP_ENABLED: 'maybe', CORS_ORIGINS: 'not a url' }).sort()).toEqual(['CORS_ORIGINS', 'SIGNUP_ENABLED']);
  });

  it('reads voice-minute allowances per plan: whole minutes or unlimited (null)', () => {
    expect(loadConfig({ DATA_DIR: dataDir() })).toMatchObject({ VOICE_MINUTES_FREE: 30, VOICE_MINUTES_BASIC: 300, VOICE_MINUTES_PREMIUM: null });
    expect(loadConfig({ DATA_DIR: dataDir(), VOICE_MINUTES_FREE: '0', VOICE_MINUTES_BASIC: 'unlimited', VOICE_MINUTES_PREMIUM: '' })).toMatchObject({
      VOICE_MINUTES_FREE: 0,
      VOICE_MINUTES_BASIC: null,
      VOICE_MINUTES_PREMIUM: null,
    });
    expect(() => loadConfig({ DATA_DIR: dataDir(), VOICE_MINUTES_FREE: '2.5' })).toThrow(/VOICE_MINUTES_FREE/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), VOICE_MINUTES_BASIC: '-1' })).toThrow(/VOICE_MINUTES_BASIC/);
  });

  it('treats empty values as unset and parses lists and booleans', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: '', SIGNUP_ENABLED: 'false', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.databaseKind).toBe('embedded');
    expect(config.SIGNUP_ENABLED).toBe(false);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('takes trusted proxies as addresses or CIDRs, and refuses "trust everything" and hop counts', () => {
    const trust = (value: string) => {
      try {
        return loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: value }).TRUST_PROXY;
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).issues.map((i) => i.variable)).toEqual(['TRUST_PROXY']);
        return 'refused';
      }
    };
    expect(loadConfig({ DATA_DIR: dataDir() }).TRUST_PROXY).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('10.0.0.1')).toEqual(['10.0.0.1']);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8, 2001:db8::1')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '2001:db8::1']);
    for (const bad of ['true', 'TRUE', 'yes', '1', '2', '10.0.0.0/33', 'fd00::/129', 'proxy.example', '10.0.0.1/8/8', ',']) expect(trust(bad), bad).toBe('refused');
  });

  it('loads demo data by default outside production only', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).SEED_DEMO).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'test' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production', SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir(), SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
  });

  it('keeps a generated AUTH_SECRET in DATA_DIR so sessions survive restarts', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).AUTH_SECRET;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).AUTH_SECRET).toBe(first);
    expect(readFileSync(join(dir, 'auth-secret'), 'utf8')).toBe(first);
  });

  it('never exposes secrets in the public config', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), AUTH_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://u:secretpw@h/db' });
    const json = JSON.stringify(publicConfig(config, { provider: 'offline', model: 'm', offline: true }, { provider: 'local', speechInput: true }));
    expect(json).not.toContain('x'.repeat(40));
    expect(json).not.toContain('secretpw');
  });
});
