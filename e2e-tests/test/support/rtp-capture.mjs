// What really goes over the wire to a media port: tshark (Wireshark) decodes the RTP arriving at a UDP
// port of this network namespace, live, and reports the RFC 4733 telephone-events in it.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const EVENT_DIGITS = '0123456789*#ABCD';

/**
 * Starts capturing RTP sent to `port` on loopback; resolves once tshark captures. `waitForDigits(n)` then
 * resolves (within `timeoutMs`) with the completed events, once there are `n` ({digit, payloadType, timestamp}), one per tone (RFC 4733
 * section 2.5.1.4: the end packet is sent three times, counted once).
 */
export async function captureTelephoneEvents(port, { payloadType = 101 } = {}) {
  const tshark = spawn('tshark', [
    '-i', 'lo', '-l', '-n', '-f', `udp dst port ${port}`,
    '-d', `udp.port==${port},rtp`, '-o', `rtpevent.event_payload_type_value:${payloadType}`,
    '-Y', 'rtp', '-T', 'fields', '-E', 'separator=,',
    '-e', 'rtp.p_type', '-e', 'rtp.timestamp', '-e', 'rtpevent.event_id', '-e', 'rtpevent.end_of_event',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let pending = '';
  const events = new Map(); // RTP timestamp -> event (one tone)
  const packets = new Map(); // payload type -> RTP packets seen
  tshark.stdout.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      const [pt, timestamp, id, end] = line.trim().split(',');
      packets.set(pt, (packets.get(pt) ?? 0) + 1);
      if (!id || !timestamp || events.has(timestamp) || !/^(1|True)$/i.test(end ?? '')) continue;
      events.set(timestamp, { digit: EVENT_DIGITS[Number(id)] ?? `?${id}`, payloadType: Number(pt), timestamp: Number(timestamp) });
    }
  });
  tshark.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => tshark.on('exit', resolve));

  const until = Date.now() + 20_000;
  while (!/Capturing on/.test(stderr)) {
    if (tshark.exitCode !== null || Date.now() > until) {
      tshark.kill('SIGKILL');
      throw new Error(`tshark did not start capturing on lo:\n${stderr}`);
    }
    await sleep(100);
  }

  return {
    async waitForDigits(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (events.size < count && Date.now() < deadline) await sleep(100);
      return [...events.values()].sort((a, b) => a.timestamp - b.timestamp);
    },
    /** RTP packets seen so far by payload type, e.g. {"0": 250, "101": 12}. */
    packetsByPayloadType() {
      return Object.fromEntries(packets);
    },
    async stop() {
      if (tshark.exitCode === null) {
        tshark.kill('SIGINT');
        await Promise.race([exited, sleep(5000)]);
        if (tshark.exitCode === null) tshark.kill('SIGKILL');
      }
    },
  };
}
