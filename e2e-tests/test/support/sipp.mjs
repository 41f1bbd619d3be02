// sipp standing in for a tenant's PBX (UAS answering, UAC calling in), with RTP echo.
import { spawn } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const scenarios = resolve(import.meta.dirname, '../../sipp');
const target = resolve(import.meta.dirname, '../../target/sipp');

export const PBX_PORT = 5070;

export class Sipp {
  /** `role`: 'uas' (answers one call) or 'uac' (calls `user` through the edge's SIP port). */
  constructor(role, { user, mediaPort, scenario } = {}) {
    mkdirSync(target, { recursive: true });
    this.messages = join(target, `${role}-${Date.now()}-messages.log`);
    const common = ['-i', '127.0.0.1', '-p', String(PBX_PORT), '-mi', '127.0.0.1', '-mp', String(mediaPort ?? 16000),
      '-rtp_echo', '-m', '1', '-nostdin', '-t', 'u1', '-trace_msg', '-message_file', this.messages, '-timeout', '60s', '-timeout_error'];
    const args = role === 'uas'
      ? ['-sf', join(scenarios, scenario ?? 'pbx-uas.xml'), ...common]
      : ['127.0.0.1:5060', '-sf', join(scenarios, 'pbx-uac.xml'), '-s', user, ...common];
    this.output = '';
    this.process = spawn('/usr/bin/sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout.on('data', (d) => (this.output = (this.output + d).slice(-20000)));
    this.process.stderr.on('data', (d) => (this.output = (this.output + d).slice(-20000)));
    this.exit = new Promise((resolveExit) => this.process.on('exit', (code) => resolveExit(code)));
  }

  /** SIP messages sipp saw or sent so far. */
  trace() {
    return existsSync(this.messages) ? readFileSync(this.messages, 'utf8') : '';
  }

  /** The requests of one method that sipp received, each as its full text (headers and body). */
  receivedRequests(method) {
    return this.trace()
      .split(/^-{20,}.*$/m)
      .filter((block) => /message received/.test(block))
      .map((block) => block.slice(block.indexOf(':') + 1).replace(/^\s+/, ''))
      .filter((text) => text.startsWith(`${method} `));
  }

  /** Digits received in SIP INFO bodies (application/dtmf-relay "Signal=5"). */
  infoDigits() {
    return [...this.trace().matchAll(/^Signal=\s*([0-9A-D#*])/gim)].map((m) => m[1]).join('');
  }

  /** Gives a finishing call a moment (BYE in flight), then ends sipp. */
  async stop() {
    await Promise.race([this.exit, new Promise((r) => setTimeout(r, 3000))]);
    if (this.process.exitCode === null) {
      this.process.kill('SIGTERM');
      await Promise.race([this.exit, new Promise((r) => setTimeout(r, 5000))]);
      if (this.process.exitCode === null) this.process.kill('SIGKILL');
    }
  }
}
