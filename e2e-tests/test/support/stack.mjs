// Starts the real local stack (embedded PostgreSQL + Kafka, account, relay, edge) with the
// launcher from the local-stack module, and can restart the edge in place.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const EDGE_HTTP = 'http://127.0.0.1:8080';
export const EDGE_WS = 'ws://127.0.0.1:8080/sip';
export const ACCOUNT = 'http://127.0.0.1:8081';
export const RELAY = 'http://127.0.0.1:8082';
export const DOMAIN = 'demo.localhost';

// The repository whose built services and launcher are used (a separate build tree can be given).
const repo = process.env.E2E_STACK_ROOT || resolve(import.meta.dirname, '../../..');
const target = resolve(import.meta.dirname, '../../target');

async function ready(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return false;
  }
}

async function waitGone(pid, ms) {
  const until = Date.now() + ms;
  while (alive(pid) && Date.now() < until) await sleep(100);
  return !alive(pid);
}

/** Processes below `root` in the process tree (all of them started by this test run). */
function descendants(root) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  const out = [];
  const queue = [root];
  while (queue.length) {
    for (const c of children.get(queue.shift()) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

export class LocalStack {
  constructor({ pbx }) {
    this.pbx = pbx;
    this.dataDir = join(target, 'stack-data');
    this.log = join(target, 'local-stack.log');
    this.launcher = null;
    this.edge = null; // a restarted edge this class launched itself
  }

  async start(timeoutMs = 300_000) {
    const classpathFile = join(repo, 'local-stack/target/launcher.classpath');
    if (!existsSync(classpathFile)) throw new Error(`${classpathFile} is missing: build with ./mvnw -DskipTests install first`);
    mkdirSync(target, { recursive: true });
    const out = openSync(this.log, 'w');
    const classpath = `${join(repo, 'local-stack/target/classes')}:${readFileSync(classpathFile, 'utf8').trim()}`;
    const args = [
      `-Dwebcall.repository.root=${repo}`, '-cp', classpath, 'io.webcall.local.LocalStackMain',
      '--root', repo, '--data', this.dataDir, '--reset',
      // PostgreSQL's unix socket lives in /tmp, shared with every network namespace: a free port avoids
      // meeting a local stack that runs outside the namespace.
      '--postgres-port', '0', '--kafka-port', '0', '--exit-with-parent', '--pbx', this.pbx, '--health-timeout', String(Math.round(timeoutMs / 1000)),
      '--jvm-option', '-Xmx384m', '--jvm-option', '-XX:TieredStopAtLevel=1', '--jvm-option', '-XX:+ExitOnOutOfMemoryError',
      // e.g. E2E_STACK_JVM_OPTIONS='-Dquarkus.log.category."org.ice4j".level=DEBUG' for a closer look
      ...(process.env.E2E_STACK_JVM_OPTIONS || '').split(/\s+/).filter(Boolean).flatMap((o) => ['--jvm-option', o]),
    ];
    this.launcher = spawn('java', args, { stdio: ['ignore', out, out] });
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.launcher.exitCode !== null) throw new Error(`local stack exited with ${this.launcher.exitCode}:\n${tail(this.log)}`);
      const log = tail(this.log, 200);
      if (/all parts up/.test(log)) return;
      if (/Exception in thread "main"|did not start/.test(log)) {
        await this.stop();
        throw new Error(`local stack failed to start:\n${tail(this.log)}`);
      }
      await sleep(500);
    }
    throw new Error(`local stack not up after ${timeoutMs} ms:\n${tail(this.log)}`);
  }

  edgePid() {
    if (this.edge && alive(this.edge.pid)) return this.edge.pid;
    for (const pid of descendants(this.launcher.pid)) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmd.includes('signaling-service') && cmd.includes('quarkus-run.jar')) return pid;
      } catch {
        /* exited */
      }
    }
    throw new Error('edge process not found below the launcher');
  }

  /** Stops the edge (SIGTERM) and starts it again with the same command line; resolves when ready. */
  async restartEdge(downMs = 1000) {
    const pid = this.edgePid();
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    process.kill(pid, 'SIGTERM');
    if (!(await waitGone(pid, 30_000))) throw new Error(`edge ${pid} did not stop`);
    await sleep(downMs);
    const out = openSync(join(target, 'edge-restarted.log'), 'a');
    this.edge = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', out, out] });
    const until = Date.now() + 180_000;
    while (Date.now() < until) {
      if (this.edge.exitCode !== null) throw new Error(`restarted edge exited:\n${tail(join(target, 'edge-restarted.log'))}`);
      if (await ready(`${EDGE_HTTP}/q/health/ready`)) return;
      await sleep(250);
    }
    throw new Error('restarted edge not ready');
  }

  async stop() {
    if (this.edge && alive(this.edge.pid)) {
      this.edge.kill('SIGTERM');
      if (!(await waitGone(this.edge.pid, 20_000))) this.edge.kill('SIGKILL');
    }
    if (this.launcher && this.launcher.exitCode === null) {
      this.launcher.kill('SIGTERM');
      if (!(await waitGone(this.launcher.pid, 60_000))) this.launcher.kill('SIGKILL');
    }
  }
}

/**
 * What the relay knows about a call (GET /v1/sessions/{callId}) and its packet drop counters, for
 * failure messages: shows whether media stopped arriving at the relay or stopped leaving it.
 */
export async function relayDiagnostics(callId) {
  const get = async (url) => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      return `${res.status} ${await res.text()}`;
    } catch (err) {
      return `unreachable: ${err.message}`;
    }
  };
  const session = callId ? await get(`${RELAY}/v1/sessions/${encodeURIComponent(callId)}`) : '(no Call-ID)';
  const metrics = await get(`${RELAY}/q/metrics`);
  const drops = metrics.startsWith('200 ')
    ? metrics.split('\n').filter((l) => /^relay_packets_(dropped|relayed)/.test(l) && !/ 0\.0$/.test(l))
    : [metrics.slice(0, 200)];
  return `relay session: ${session}\nrelay counters:\n${drops.join('\n')}`;
}
