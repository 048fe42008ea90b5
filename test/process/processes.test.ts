import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { livingGroupMembers, parseProcStat, readProcStat } from '../../src/process/proc-stat.js';
import { isAlive, readPidFile, startServer, stopProcess, stopServer } from '../../src/process/processes.js';
import { waitFor } from '../../src/process/wait.js';

const scratch = mkdtempSync(join(tmpdir(), 'pgsynth-proc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('parseProcStat', () => {
  test('reads state, parent, group and start time, even when comm holds ") "', () => {
    const line = '4242 (odd) name) Z 17 4242 4242 0 -1 4227916 98 0 0 0 0 0 0 0 20 0 1 0 123456 0 0 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ pid: 4242, comm: 'odd) name', state: 'Z', ppid: 17, pgrp: 4242, startTime: 123456 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  test('reads this process', () => {
    expect(readProcStat(process.pid)).toMatchObject({ pid: process.pid, state: expect.stringMatching(/[RS]/) });
  });
});

describe('isAlive', () => {
  test('a zombie answers kill -0 but is not alive', async () => {
    // sh starts a short sleep in the background, then becomes a long sleep, which never reaps it.
    // The short one must outlive the shell: a child that ends before `exec` may be reaped by sh.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
      await waitFor(() => readProcStat(zombie)?.state === 'Z', { what: 'the child to become a zombie', timeoutMs: 5_000 });
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isAlive(zombie)).toBe(false);
      expect(isAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  test('a reaped pid, a reused pid and nonsense are not alive', async () => {
    const child = spawn('true');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(isAlive(child.pid!)).toBe(false);
    const self = readProcStat(process.pid)!;
    expect(isAlive(process.pid, self.startTime)).toBe(true);
    expect(isAlive(process.pid, self.startTime + 1)).toBe(false);
    expect(isAlive(0)).toBe(false);
    expect(isAlive(-1)).toBe(false);
  });
});

describe('startServer / stopProcess', () => {
  test('starts detached in its own group with a pid file and log, and stops it gracefully', async () => {
    const logFile = join(scratch, 'sleeper.log');
    const pidFile = join(scratch, 'sleeper.pid');
    const server = await startServer({ name: 'sleeper', bin: 'sh', args: ['-c', 'echo hello; exec sleep 30'], logFile, pidFile });
    expect(readPidFile(pidFile)).toEqual({ pid: server.pid, startTime: server.startTime });
    expect(readProcStat(server.pid)?.pgrp).toBe(server.pid);
    await waitFor(() => readFileSync(logFile, 'utf8').includes('hello'), { what: 'output in the log', timeoutMs: 5_000 });

    const result = await stopServer(server, { signal: 'SIGTERM' });
    expect(result).toMatchObject({ wasRunning: true, killed: false });
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
  });

  test('escalates to SIGKILL for the whole group when the signal is ignored', async () => {
    const server = await startServer({
      name: 'stubborn',
      bin: 'sh',
      // The shell ignores TERM and keeps a worker in its group.
      args: ['-c', "trap '' TERM; sleep 30 & wait"],
      logFile: join(scratch, 'stubborn.log'),
      pidFile: join(scratch, 'stubborn.pid'),
    });
    await waitFor(() => livingGroupMembers(server.pid).length === 2, { what: 'the worker', timeoutMs: 5_000 });
    const result = await stopProcess(server.pid, { signal: 'SIGTERM', timeoutMs: 300, startTime: server.startTime });
    expect(result).toMatchObject({ wasRunning: true, killed: true });
    expect(livingGroupMembers(server.pid)).toEqual([]);
  });

  test('workers that outlive their leader get its signal too', async () => {
    const server = await startServer({
      name: 'leader',
      bin: 'sh',
      args: ['-c', 'sleep 30 & exec sleep 30'],
      logFile: join(scratch, 'leader.log'),
      pidFile: join(scratch, 'leader.pid'),
    });
    await waitFor(() => livingGroupMembers(server.pid).length === 2, { what: 'the worker', timeoutMs: 5_000 });
    const result = await stopServer(server, { signal: 'SIGTERM', timeoutMs: 5_000 });
    expect(result).toMatchObject({ wasRunning: true, killed: false });
    expect(result.durationMs).toBeLessThan(2_000);
    expect(livingGroupMembers(server.pid)).toEqual([]);
  });

  test('an orphan started by another process is stopped by pid, even before init reaps it', async () => {
    // Like `synth down` after `synth up` exited: the server's parent is gone.
    const starter = spawn('sh', ['-c', 'setsid sleep 30 >/dev/null 2>&1 & echo $!'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((resolve) => starter.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    await new Promise((resolve) => starter.once('exit', resolve));
    expect(isAlive(pid)).toBe(true);
    const result = await stopProcess(pid, { signal: 'SIGTERM', timeoutMs: 5_000 });
    expect(result).toMatchObject({ wasRunning: true, killed: false });
    expect(isAlive(pid)).toBe(false);
  });

  test('stopping what is not running is a no-op; a missing executable is a clear error', async () => {
    expect(await stopProcess(999_999_999)).toMatchObject({ wasRunning: false });
    await expect(
      startServer({ name: 'ghost', bin: join(scratch, 'nope'), args: [], logFile: join(scratch, 'ghost.log'), pidFile: join(scratch, 'ghost.pid') }),
    ).rejects.toThrow(/Could not start ghost/);
  });

  test('readPidFile ignores junk', () => {
    writeFileSync(join(scratch, 'junk.pid'), 'not a pid\n');
    expect(readPidFile(join(scratch, 'junk.pid'))).toBeUndefined();
    expect(readPidFile(join(scratch, 'absent.pid'))).toBeUndefined();
    writeFileSync(join(scratch, 'plain.pid'), '1234\n');
    expect(readPidFile(join(scratch, 'plain.pid'))).toEqual({ pid: 1234 });
  });
});
