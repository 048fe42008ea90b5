import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { formatConninfo } from '../../src/conninfo.js';
import { LocalRunError } from '../../src/process/errors.js';
import { backendServers, parseHaproxyCsv } from '../../src/process/haproxy.js';
import { tailFile } from '../../src/process/log-tail.js';
import { isPortFree } from '../../src/process/ports.js';
import { findFreePort } from '../support/ports.js';
import { passwdEntry, runTool } from '../../src/process/run-as.js';
import { waitFor, waitForPort } from '../../src/process/wait.js';
import { hostHaproxy } from '../support/binaries.js';

const scratch = mkdtempSync(join(tmpdir(), 'pgsynth-helpers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('waitFor', () => {
  test('a timeout says what was awaited, the last error and the log tail', async () => {
    const log = join(scratch, 'server.log');
    writeFileSync(log, Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const failure = waitFor(
      () => {
        throw new Error('connection refused');
      },
      { what: 'the primary to accept connections', timeoutMs: 100, intervalMs: 20, logFile: log, logLines: 3 },
    );
    await expect(failure).rejects.toBeInstanceOf(LocalRunError);
    await expect(failure).rejects.toThrow(
      /Timed out after 100 ms waiting for the primary to accept connections\. Last error: connection refused[^]*line 28\nline 29\nline 30$/,
    );
  });

  test('abortIf ends the wait at once', async () => {
    const started = performance.now();
    await expect(waitFor(() => false, { what: 'x', timeoutMs: 5_000, abortIf: () => 'the server exited' })).rejects.toThrow(
      'Gave up waiting for x: the server exited.',
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('waitForPort sees a listener; isPortFree tells free from taken', async () => {
    const port = await findFreePort();
    expect(await isPortFree('127.0.0.1', port)).toBe(true);
    const server = createServer().listen(port, '127.0.0.1');
    try {
      await waitForPort('127.0.0.1', port, 2_000);
      expect(await isPortFree('127.0.0.1', port)).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('small parsers', () => {
  test('tailFile of a missing file is empty', () => {
    expect(tailFile(join(scratch, 'absent.log'))).toBe('');
  });

  test('conninfo values are bare when they can be, else quoted and escaped; unset ones left out', () => {
    expect(formatConninfo({ host: '127.0.0.1', port: 5432, user: "o'brien", password: undefined, dbname: '', application_name: 'a b\\c' })).toBe(
      "host=127.0.0.1 port=5432 user='o\\'brien' application_name='a b\\\\c'",
    );
  });

  test('passwd entries', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n';
    expect(passwdEntry(passwd, 'postgres')).toEqual({ uid: 101, gid: 104, home: '/var/lib/postgresql' });
    expect(passwdEntry(passwd, 'nobody')).toBeUndefined();
  });

  test('HAProxy CSV: a server not checked yet reads "UP 1/3" with check_status INI', () => {
    const csv = '# pxname,svname,qcur,status,check_status,\nb,s1,0,DOWN,L4CON,\nb,s2,0,UP 1/3,INI,\nb,BACKEND,0,UP,,\n';
    const rows = parseHaproxyCsv(csv);
    expect(backendServers(rows, 'b').map((row) => [row.server, row.status, row.checkStatus])).toEqual([
      ['s1', 'DOWN', 'L4CON'],
      ['s2', 'UP 1/3', 'INI'],
    ]);
    expect(() => parseHaproxyCsv('<html>')).toThrow(/header/);
  });
});

describe('runTool', () => {
  test('a failing tool reports its exit code and output', async () => {
    await expect(runTool('sh', ['-c', 'echo boom >&2; exit 3'])).rejects.toThrow(/sh exited with code 3[^]*boom/);
  });

  test("the caller's PG* variables do not reach tools", async () => {
    process.env.PGHOST = 'elsewhere.invalid';
    try {
      const { stdout } = await runTool('sh', ['-c', 'echo "[${PGHOST:-}]"']);
      expect(stdout.trim()).toBe('[]');
    } finally {
      delete process.env.PGHOST;
    }
  });

  test("runTool succeeds on a valid haproxy -c and reports HAProxy's own alert for a broken file", async () => {
    const good = join(scratch, 'good.cfg');
    const bad = join(scratch, 'bad.cfg');
    writeFileSync(good, 'defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\nlisten x\n  bind 127.0.0.1:1\n');
    writeFileSync(bad, 'listen x\n  bind 127.0.0.1:1\n  balance nonsense\n');
    const check = (file: string) => runTool(hostHaproxy().bin, ['-c', '-f', file], { timeoutMs: 10_000 });
    await expect(check(good)).resolves.toBeDefined();
    await expect(check(bad)).rejects.toThrow(/haproxy exited with code 1[^]*balance only supports/);
  });
});
