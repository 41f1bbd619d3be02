// A real SIP user agent (JsSIP or SIP.js) with a real WebRTC stack (@roamhq/wrtc), driven line by line:
// commands arrive on stdin as JSON, events leave on stdout as JSON. The Java tests of the edge start one
// process per user agent. Local SDP keeps only 127.0.0.1 ICE candidates so media stays on loopback.
import { createRequire } from 'module';
import readline from 'readline';

const require = createRequire(import.meta.url);
const wrtc = require('@roamhq/wrtc');
const WebSocket = require('ws');

globalThis.WebSocket = WebSocket;
globalThis.window = globalThis;
globalThis.RTCPeerConnection = wrtc.RTCPeerConnection;
globalThis.RTCSessionDescription = wrtc.RTCSessionDescription;
globalThis.RTCIceCandidate = wrtc.RTCIceCandidate;
globalThis.MediaStream = wrtc.MediaStream;
globalThis.MediaStreamTrack = wrtc.MediaStreamTrack;
globalThis.MediaStreamTrackEvent = class MediaStreamTrackEvent extends Event {
  constructor(type, init) { super(type); this.track = init ? init.track : undefined; }
};
const sources = [];
function audioStream() {
  const source = new wrtc.nonstandard.RTCAudioSource();
  sources.push(source);
  const track = source.createTrack();
  return new wrtc.MediaStream([track]);
}
const silence = new Int16Array(480);
setInterval(() => {
  for (const s of sources) {
    try { s.onData({ samples: silence, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 }); } catch (e) { /* closed */ }
  }
}, 10).unref();
if (!globalThis.navigator) {
  globalThis.navigator = { userAgent: 'node' };
}
if (!globalThis.navigator.mediaDevices) {
  Object.defineProperty(globalThis.navigator, 'mediaDevices', {
    value: { getUserMedia: async () => audioStream(), enumerateDevices: async () => [] },
    configurable: true,
  });
}

const cfg = JSON.parse(process.argv[2]);
if (cfg.origin) {
  // a page's WebSocket always carries its Origin; the edge checks it against its allow-list
  globalThis.WebSocket = class extends WebSocket {
    constructor(url, protocols, options) { super(url, protocols, { ...(options || {}), origin: cfg.origin }); }
  };
}
const emit = (event, extra = {}) => process.stdout.write(JSON.stringify({ event, ...extra }) + '\n');

function loopbackOnly(sdp) {
  return sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate') || / 127\.0\.0\.1 /.test(l)).join('\r\n');
}

const handlers = cfg.lib === 'sipjs' ? await sipjs() : await jssip();

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  if (!line.trim()) return;
  const cmd = JSON.parse(line);
  try {
    await handlers[cmd.cmd](cmd);
  } catch (e) {
    emit('error', { message: String(e && e.message || e), cmd: cmd.cmd });
  }
});
rl.on('close', () => process.exit(0));

// ------------------------------------------------------------------------------------------- JsSIP
async function jssip() {
  const JsSIP = require('jssip');
  if (cfg.debug) JsSIP.debug.enable('JsSIP:*');
  const socket = new JsSIP.WebSocketInterface(cfg.ws);
  const config = {
    sockets: [socket],
    uri: `sip:${cfg.user}@${cfg.domain}`,
    register: false,
    session_timers: true,
    connection_recovery_min_interval: 1,
    connection_recovery_max_interval: 2,
  };
  if (cfg.token) config.authorization_jwt = `Bearer ${cfg.token}`;
  if (cfg.password) config.password = cfg.password;
  if (cfg.instance) config.instance_id = cfg.instance;
  const ua = new JsSIP.UA(config);
  let session = null;
  const track = (s) => {
    session = s;
    s.on('sdp', (e) => { if (e.originator === 'local') e.sdp = loopbackOnly(e.sdp); });
    s.on('progress', (e) => emit('progress', { code: e.response ? e.response.status_code : null, remoteSdp: s.connection && s.connection.remoteDescription ? s.connection.remoteDescription.sdp : null }));
    s.on('accepted', () => emit('accepted'));
    s.on('confirmed', () => emit('confirmed', { remoteSdp: s.connection && s.connection.remoteDescription ? s.connection.remoteDescription.sdp : null }));
    s.on('ended', (e) => emit('ended', { cause: e.cause, originator: e.originator }));
    s.on('failed', (e) => emit('failed', { cause: e.cause, originator: e.originator, code: e.message && e.message.status_code ? e.message.status_code : null,
      warning: e.message && e.message.getHeader ? e.message.getHeader('Warning') || null : null }));
    s.on('reinvite', () => emit('reinvite'));
    s.on('update', () => emit('update'));
  };
  ua.on('connected', () => emit('connected'));
  ua.on('disconnected', () => emit('disconnected'));
  ua.on('registered', (e) => emit('registered', { contacts: e.response.getHeaders('Contact') }));
  ua.on('unregistered', () => emit('unregistered'));
  ua.on('registrationFailed', (e) => emit('registrationFailed', { cause: e.cause, code: e.response ? e.response.status_code : null }));
  ua.on('newRTCSession', (e) => {
    if (e.originator === 'remote') {
      track(e.session);
      emit('incoming', { from: e.request.from.uri.toString(), requestUri: e.request.ruri.toString(), callId: e.request.call_id });
    }
  });
  ua.on('newMessage', (e) => { if (e.originator === 'remote') emit('message', { body: e.request.body }); });
  ua.start();
  return {
    register: async () => {
      if (!ua.isConnected()) await new Promise((resolve) => ua.once('connected', resolve));
      ua.register();
    },
    unregister: async () => ua.unregister(),
    call: async (c) => {
      const s = ua.call(c.target, { mediaStream: audioStream(), pcConfig: { iceServers: [] }, sessionTimersExpires: c.sessionExpires || 90 });
      track(s);
    },
    answer: async () => session.answer({ mediaStream: audioStream(), pcConfig: { iceServers: [] } }),
    reject: async (c) => session.terminate({ status_code: c.code || 486 }),
    hangup: async () => session.terminate(),
    reinvite: async () => {
      const ok = session.renegotiate({ useUpdate: false }, () => emit('reinvited'));
      if (!ok) emit('error', { message: 'renegotiate refused' });
    },
    message: async (c) => ua.sendMessage(c.target, c.body, { eventHandlers: {
      succeeded: () => emit('messageSent'), failed: (e) => emit('messageFailed', { cause: e.cause }) } }),
    quit: async () => { ua.stop(); setTimeout(() => process.exit(0), 300); },
  };
}

// ------------------------------------------------------------------------------------------- SIP.js
async function sipjs() {
  const SIP = await import('sip.js');
  const uri = SIP.UserAgent.makeURI(`sip:${cfg.user}@${cfg.domain}`);
  const bearer = cfg.token ? [`Authorization: Bearer ${cfg.token}`] : [];
  const options = {
    uri,
    transportOptions: { server: cfg.ws },
    logLevel: cfg.debug ? 'debug' : 'error',
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 500 },
    delegate: {
      onInvite: (invitation) => {
        session = invitation;
        track(invitation);
        emit('incoming', { from: invitation.remoteIdentity.uri.toString(), requestUri: invitation.request.ruri.toString(), callId: invitation.request.callId });
      },
    },
  };
  if (cfg.password) {
    options.authorizationUsername = cfg.user;
    options.authorizationPassword = cfg.password;
  }
  if (cfg.rel100) {
    // RFC 3262: reliable provisional responses (Supported: 100rel in INVITEs, PRACK for reliable 18x)
    options.sipExtension100rel = SIP.SIPExtension.Supported;
  }
  const ua = new SIP.UserAgent(options);
  let session = null;
  let registerer = null;
  const remoteSdp = (s) => {
    const pc = s.sessionDescriptionHandler && s.sessionDescriptionHandler.peerConnection;
    return pc && pc.remoteDescription ? pc.remoteDescription.sdp : null;
  };
  const modifiers = [async (d) => ({ type: d.type, sdp: loopbackOnly(d.sdp) })];
  const track = (s) => {
    s.stateChange.addListener((state) => {
      if (state === SIP.SessionState.Established) emit('confirmed', { remoteSdp: remoteSdp(s) });
      if (state === SIP.SessionState.Terminated) emit('ended', { cause: 'terminated' });
    });
  };
  await ua.start();
  emit('connected');
  return {
    register: async () => {
      registerer = new SIP.Registerer(ua, { extraHeaders: bearer });
      registerer.stateChange.addListener((st) => {
        if (st === SIP.RegistererState.Registered) emit('registered');
        if (st === SIP.RegistererState.Unregistered) emit('unregistered');
      });
      await registerer.register({ requestDelegate: { onReject: (r) => emit('registrationFailed', { code: r.message.statusCode }) } });
    },
    unregister: async () => registerer.unregister(),
    call: async (c) => {
      const target = SIP.UserAgent.makeURI(c.target);
      const inviter = new SIP.Inviter(ua, target, { extraHeaders: bearer, sessionDescriptionHandlerModifiers: modifiers,
        inviteWithoutSdp: !!c.withoutSdp });
      session = inviter;
      track(inviter);
      await inviter.invite({ requestDelegate: {
        onProgress: (r) => emit('progress', { code: r.message.statusCode, reliable: !!r.message.getHeader('rseq'), sdp: r.message.body || null }),
        onReject: (r) => emit('failed', { code: r.message.statusCode, cause: r.message.reasonPhrase }),
      } });
    },
    answer: async () => session.accept({ sessionDescriptionHandlerModifiers: modifiers }),
    // a reliable 183 (RFC 3262); to an INVITE without SDP it carries the offer, the PRACK brings the answer
    progress: async () => {
      await session.progress({ rel100: true, sessionDescriptionHandlerModifiers: modifiers });
      emit('prackReceived', { remoteSdp: remoteSdp(session) });
    },
    reject: async (c) => session.reject({ statusCode: c.code || 486 }),
    hangup: async () => {
      if (session.state === SIP.SessionState.Established) await session.bye();
      else if (session.cancel) await session.cancel();
      else await session.reject();
    },
    quit: async () => { await ua.stop(); setTimeout(() => process.exit(0), 300); },
  };
}
