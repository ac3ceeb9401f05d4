import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The example files of docs/deploy.md: checked by their own tools where this machine has them
 * (systemd-analyze verify, nginx -t), and read for what the guide promises in any case.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const read = (path: string) => readFileSync(path, 'utf8');

/** key=value lines of a systemd unit, by section. */
function unitSections(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = section[1] ?? '';
      sections[current] = {};
      continue;
    }
    const at = line.indexOf('=');
    expect(at, `not key=value: ${line}`).toBeGreaterThan(0);
    const key = line.slice(0, at);
    (sections[current] ??= {})[key] = [...(sections[current]?.[key] ?? []), line.slice(at + 1)];
  }
  return sections;
}

describe('deploy/systemd/daiban@.service', () => {
  const text = read('deploy/systemd/daiban@.service');

  it('runs the built server as its own user, one role per instance, stopped by SIGTERM', () => {
    const unit = unitSections(text);
    expect(Object.keys(unit)).toEqual(['Unit', 'Service', 'Install']);
    expect(unit.Service?.ExecStart).toEqual(['/usr/bin/node dist/main.js']);
    expect(unit.Service?.Environment?.join(' ')).toContain('ROLE=%i');
    expect(unit.Service?.EnvironmentFile).toEqual(['/etc/daiban/daiban.env']);
    expect(unit.Service?.User).toEqual(['daiban']);
    expect(unit.Service?.KillSignal).toEqual(['SIGTERM']);
    expect(unit.Service?.Restart).toEqual(['on-failure']);
    expect(unit.Unit?.After?.join(' ')).toContain('redis-server.service');
  });

  it.runIf(has('systemd-analyze'))('passes systemd-analyze verify', () => {
    const instance = join(dir, 'daiban@web.service');
    // The node this machine has, where the unit expects /usr/bin/node.
    writeFileSync(instance, text.replace('/usr/bin/node', process.execPath));
    const r = spawnSync('systemd-analyze', ['verify', instance], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('daiban@web.service:');
  });
});

describe('deploy/nginx/daiban.conf', () => {
  const conf = read('deploy/nginx/daiban.conf');
  const proxy = read('deploy/nginx/daiban-proxy.conf');

  it('serves HTTPS, limits each client, passes the client address, and logs no query string', () => {
    expect(conf).toMatch(/listen 443 ssl( http2)?;/);
    expect(conf).toMatch(/limit_conn daiban_conn \d+;/);
    expect(conf).toMatch(/client_body_timeout\s+\d+s;/);
    expect(conf).toContain('proxy_pass http://daiban;');
    expect(proxy).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    const format = /log_format daiban_noquery ([^;]+);/.exec(conf)?.[1] ?? '';
    expect(format).toContain('$uri');
    // $request, $request_uri, $args and $query_string carry the signed query.
    expect(format).not.toMatch(/\$(request\b|request_uri|args|query_string)/);
    expect(conf).toMatch(/access_log \S+ daiban_noquery;/);
    // Braces balance.
    expect(conf.split('{').length).toBe(conf.split('}').length);
  });

  it.runIf(has('nginx') && has('openssl'))('passes nginx -t with a certificate in place', () => {
    const prefix = join(dir, 'nginx');
    mkdirSync(join(prefix, 'logs'), { recursive: true });
    const cert = join(prefix, 'daiban.crt');
    const key = join(prefix, 'daiban.key');
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=daiban.test', '-keyout', key, '-out', cert],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    writeFileSync(join(prefix, 'daiban-proxy.conf'), proxy);
    const site = conf
      .replaceAll('/etc/nginx/ssl/daiban.crt', cert)
      .replaceAll('/etc/nginx/ssl/daiban.key', key)
      .replaceAll('/etc/nginx/daiban-proxy.conf', join(prefix, 'daiban-proxy.conf'))
      .replaceAll('/var/log/nginx/', `${prefix}/logs/`)
      .replace(/listen (80|443)/g, (_m, port: string) => `listen ${port === '80' ? 18080 : 18443}`);
    writeFileSync(join(prefix, 'daiban.conf'), site);
    const main = `pid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log;\nevents {}\nhttp {\n  access_log off;\n  include ${prefix}/daiban.conf;\n}\n`;
    writeFileSync(join(prefix, 'nginx.conf'), main);
    const r = spawnSync('nginx', ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('syntax is ok');
  });
});

describe('deploy/redis/daiban-redis.conf', () => {
  it('keeps the queues across a restart and never evicts a key', () => {
    const conf = read(resolve('deploy/redis/daiban-redis.conf'));
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
  });
});
