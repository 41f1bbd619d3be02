// Webcall softphone page: a thin UI over the SDK (sdk/webcall.esm.js).
import { Phone } from './sdk/webcall.esm.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const defaults = {
  server: params.get('server') || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host || '127.0.0.1:8080'}/sip`,
  account: params.get('account') || `${location.protocol === 'https:' ? 'https' : 'http'}://${location.hostname || '127.0.0.1'}:8081`,
};

/** App state, exposed on window for diagnostics and browser tests. */
const app = { phone: null, call: null, token: null, account: defaults.account, ringtone: null };
window.webcallApp = app;

// ---------- status ----------
function setStatus(state, text) {
  $('status').dataset.state = state;
  $('status-text').textContent = text;
}

function show(view) {
  for (const id of ['signin', 'dialer', 'in-call']) $(id).hidden = id !== view;
}

// ---------- sign in ----------
let signInMode = 'demo';
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => {
    signInMode = tab.dataset.tab;
    for (const t of document.querySelectorAll('.tab')) {
      t.classList.toggle('active', t === tab);
      t.setAttribute('aria-selected', String(t === tab));
    }
    for (const p of document.querySelectorAll('.tab-panel')) p.hidden = p.dataset.panel !== signInMode;
  });
}
$('server-url').value = defaults.server;
$('account-url').value = defaults.account;
if (params.get('user')) $('demo-user').value = params.get('user');

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('signin-error');
  error.hidden = true;
  const server = $('server-url').value.trim();
  app.account = $('account-url').value.trim();
  const options = { server, accountUrl: app.account, timeoutMs: 8000 };
  if (signInMode === 'token') {
    options.token = $('token').value.trim();
    app.token = options.token;
  } else {
    options.user = $('demo-user').value;
    options.password = $('demo-password').value;
    options.domain = $('demo-domain').value.trim();
    delete options.accountUrl;
    app.token = null;
  }
  $('signin-button').disabled = true;
  setStatus('connecting', 'Connecting…');
  try {
    const phone = await Phone.connect(options);
    onSignedIn(phone);
  } catch (err) {
    setStatus('failed', 'Not registered');
    error.textContent = err.message;
    error.hidden = false;
  } finally {
    $('signin-button').disabled = false;
  }
});

function onSignedIn(phone) {
  app.phone = phone;
  $('me').textContent = phone.aor.replace(/^sip:/, '');
  setStatus('registered', 'Registered');
  show('dialer');
  phone.on('state', ({ state }) => {
    const labels = { registered: 'Registered', reconnecting: 'Reconnecting…', unregistered: 'Not registered', disconnected: 'Signed out', connecting: 'Connecting…' };
    setStatus(state === 'unregistered' ? 'failed' : state, labels[state] || state);
  });
  phone.on('reconnecting', ({ attempt, delayMs }) => {
    if (phone.state === 'reconnecting') setStatus('reconnecting', `Reconnecting (try ${attempt}, ${(delayMs / 1000).toFixed(1)} s)…`);
  });
  phone.on('incoming', onIncoming);
  phone.on('token-expiring', ({ secondsLeft }) => setStatus('reconnecting', `Token expires in ${secondsLeft} s`));
  phone.on('message', ({ from, body }) => notify(`Message from ${displayName(from)}`, body));
  void loadRecentCalls();
  void fillDevices();
}

$('signout').addEventListener('click', async () => {
  await app.phone?.disconnect();
  app.phone = null;
  setStatus('signed-out', 'Signed out');
  show('signin');
});

// ---------- dialpad ----------
const KEYS = [['1', ''], ['2', 'ABC'], ['3', 'DEF'], ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'], ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'], ['*', ''], ['0', '+'], ['#', '']];
function buildPad(container, onKey) {
  for (const [digit, letters] of KEYS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.digit = digit;
    b.innerHTML = `${digit}<small>${letters || '&nbsp;'}</small>`;
    b.addEventListener('click', () => onKey(digit));
    container.append(b);
  }
}
buildPad($('keypad'), (d) => {
  $('target').value += d;
  playTone(d);
});
buildPad($('dtmf-pad'), (d) => {
  playTone(d);
  if (!app.call) return;
  $('dtmf-sent').textContent += d;
  app.call.sendDigits(d).catch((e) => showWarning(e.message));
});
$('backspace').addEventListener('click', () => ($('target').value = $('target').value.slice(0, -1)));
$('dial-form').addEventListener('submit', (e) => {
  e.preventDefault();
  dial($('target').value);
});
$('call-button').addEventListener('click', () => dial($('target').value));

function dial(target) {
  target = target.trim();
  if (!target || !app.phone) return;
  try {
    const call = app.phone.call(target);
    attachCall(call);
  } catch (err) {
    showWarning(err.message);
  }
}

// ---------- the call screen ----------
let timerHandle = null;
function attachCall(call) {
  clearInterval(timerHandle);
  app.call = call;
  show('in-call');
  $('peer-name').textContent = displayName(call.remoteUri);
  $('peer-avatar').textContent = displayName(call.remoteUri).charAt(0) || '?';
  $('call-state').textContent = call.direction === 'outbound' ? 'Calling…' : 'Connecting…';
  $('call-timer').textContent = '00:00';
  $('dtmf-sent').textContent = '';
  $('dtmf-pad').hidden = true;
  $('transfer-form').hidden = true;
  $('call-warning').hidden = true;
  setPressed('mute', false);
  setPressed('hold', false);
  setQuality(null);

  call.on('ringing', () => ($('call-state').textContent = 'Ringing…'));
  call.on('active', () => {
    $('call-state').textContent = 'Connected';
    timerHandle = setInterval(() => ($('call-timer').textContent = formatDuration(call.durationMs)), 500);
  });
  call.on('hold', ({ local, remote }) => {
    setPressed('hold', local);
    $('call-state').textContent = local ? 'On hold' : remote ? 'Held by the other party' : 'Connected';
  });
  call.on('resume', ({ local, remote }) => {
    setPressed('hold', local);
    $('call-state').textContent = remote ? 'Held by the other party' : 'Connected';
  });
  call.on('mute', () => setPressed('mute', true));
  call.on('unmute', () => setPressed('mute', false));
  call.on('quality', setQuality);
  call.on('warning', ({ warning }) => showWarning(WARNINGS[warning] || warning));
  call.on('warning-cleared', () => {
    if (call.activeWarnings.length === 0) $('call-warning').hidden = true;
    else showWarning(WARNINGS[call.activeWarnings[0]]);
  });
  call.on('reconnecting', () => ($('call-state').textContent = 'Reconnecting…'));
  call.on('reconnected', () => ($('call-state').textContent = 'Connected'));
  // the other party transferred us: the new call takes over the screen
  call.on('transferred', ({ call: next }) => attachCall(next));
  call.on('replaced', ({ call: next }) => attachCall(next));
  call.on('ended', (info) => {
    if (app.call !== call) return; // replaced by a transfer
    clearInterval(timerHandle);
    stopRingtone();
    closeIncoming();
    $('call-state').textContent = endText(info);
    app.call = null;
    setTimeout(() => {
      if (!app.call) show(app.phone ? 'dialer' : 'signin');
      void loadRecentCalls();
    }, 1200);
  });
}

const WARNINGS = {
  'high-rtt': 'High delay on the line',
  'high-jitter': 'Unsteady connection',
  'high-loss': 'Audio packets are being lost',
  'low-mos': 'Poor call quality',
  'no-microphone-audio': 'Your microphone sends no sound',
  'no-audio-received': 'No audio is arriving from the other side',
};

function showWarning(text) {
  $('call-warning').textContent = text;
  $('call-warning').hidden = false;
}

function setQuality(sample) {
  const q = $('quality');
  if (!sample) {
    q.dataset.level = 'unknown';
    $('quality-text').textContent = 'Measuring…';
    return;
  }
  if (sample.packetsReceived === 0) {
    q.dataset.level = 'poor';
    $('quality-text').textContent = app.call?.onHold || app.call?.heldByRemote ? 'On hold' : 'No audio received';
    return;
  }
  q.dataset.level = sample.mos >= 4 ? 'good' : sample.mos >= 3.2 ? 'fair' : 'poor';
  const rtt = sample.rttMs === null ? '–' : `${Math.round(sample.rttMs)} ms`;
  $('quality-text').textContent = `MOS ${sample.mos.toFixed(1)} · RTT ${rtt} · loss ${(sample.loss * 100).toFixed(1)}%`;
}

function setPressed(id, pressed) {
  $(id).setAttribute('aria-pressed', String(pressed));
  $(id).querySelector('b').textContent = id === 'mute' ? (pressed ? 'Unmute' : 'Mute') : pressed ? 'Resume' : 'Hold';
}

$('mute').addEventListener('click', () => {
  if (!app.call) return;
  try {
    app.call.muted ? app.call.unmute() : app.call.mute();
  } catch (e) {
    showWarning(e.message);
  }
});
$('hold').addEventListener('click', () => {
  if (!app.call) return;
  (app.call.onHold ? app.call.resume() : app.call.hold()).catch((e) => showWarning(e.message));
});
$('show-keypad').addEventListener('click', () => ($('dtmf-pad').hidden = !$('dtmf-pad').hidden));
$('transfer').addEventListener('click', () => {
  $('transfer-form').hidden = !$('transfer-form').hidden;
  $('transfer-target').focus();
});
$('transfer-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const target = $('transfer-target').value.trim();
  if (!target || !app.call) return;
  $('call-state').textContent = `Transferring to ${target}…`;
  app.call.transfer(target).catch((err) => showWarning(err.message));
});
$('hangup').addEventListener('click', () => app.call?.hangup());

// ---------- incoming calls ----------
function onIncoming(call) {
  if (app.call) {
    call.reject(486);
    return;
  }
  app.incoming = call;
  $('incoming-name').textContent = displayName(call.remoteUri);
  $('incoming-avatar').textContent = displayName(call.remoteUri).charAt(0) || '?';
  $('incoming').hidden = false;
  startRingtone();
  if (document.hidden) {
    // answered or ended while the notification was on its way: take it down again
    notify('Incoming call', displayName(call.remoteUri), { tag: 'incoming-call', requireInteraction: true })
      .then(() => app.incoming !== call && closeNotifications('incoming-call'));
  }
  call.on('ended', () => {
    if (app.incoming === call) closeIncoming();
  });
}

function closeIncoming() {
  $('incoming').hidden = true;
  stopRingtone();
  app.incoming = null;
  closeNotifications('incoming-call');
}

function closeNotifications(tag) {
  serviceWorkerRegistration()
    .then((reg) => reg?.getNotifications?.({ tag }))
    .then((list) => list?.forEach((n) => n.close()))
    .catch((e) => console.warn(`closing notifications failed: ${e?.message ?? e}`));
}

async function answerIncoming() {
  const call = app.incoming;
  if (!call) return;
  closeIncoming();
  attachCall(call);
  try {
    await call.answer();
  } catch (err) {
    showWarning(err.message);
  }
}
function rejectIncoming() {
  const call = app.incoming;
  closeIncoming();
  try {
    call?.reject(486);
  } catch {
    /* the caller gave up meanwhile */
  }
}
$('answer').addEventListener('click', answerIncoming);
$('reject').addEventListener('click', rejectIncoming);

// Ringtone: a synthesized double ring (no audio file to fetch).
function startRingtone() {
  stopRingtone();
  try {
    const ctx = new AudioContext();
    const gain = ctx.createGain();
    gain.gain.value = 0;
    gain.connect(ctx.destination);
    for (const f of [440, 480]) {
      const osc = ctx.createOscillator();
      osc.frequency.value = f;
      osc.connect(gain);
      osc.start();
    }
    let t = ctx.currentTime;
    for (let i = 0; i < 15; i++, t += 3) {
      gain.gain.setValueAtTime(0.15, t);
      gain.gain.setValueAtTime(0, t + 0.4);
      gain.gain.setValueAtTime(0.15, t + 0.6);
      gain.gain.setValueAtTime(0, t + 1.0);
    }
    app.ringtone = ctx;
  } catch {
    app.ringtone = null;
  }
}
function stopRingtone() {
  app.ringtone?.close?.();
  app.ringtone = null;
}

// Key-press feedback tones (DTMF frequency pairs, quiet).
const DTMF_FREQ = { 1: [697, 1209], 2: [697, 1336], 3: [697, 1477], 4: [770, 1209], 5: [770, 1336], 6: [770, 1477], 7: [852, 1209], 8: [852, 1336], 9: [852, 1477], '*': [941, 1209], 0: [941, 1336], '#': [941, 1477] };
let toneCtx = null;
function playTone(digit) {
  try {
    toneCtx ??= new AudioContext();
    const gain = toneCtx.createGain();
    gain.gain.value = 0.05;
    gain.connect(toneCtx.destination);
    for (const f of DTMF_FREQ[digit] || []) {
      const osc = toneCtx.createOscillator();
      osc.frequency.value = f;
      osc.connect(gain);
      osc.start();
      osc.stop(toneCtx.currentTime + 0.12);
    }
  } catch {
    /* no audio output: silent keys */
  }
}

// ---------- notifications & service worker ----------
async function notify(title, body, extra = {}) {
  if (!('Notification' in window)) return;
  try {
    if (Notification.permission === 'default') await Notification.requestPermission();
    if (Notification.permission !== 'granted') return;
    const options = { body, icon: 'icon.svg', ...extra };
    const actions = extra.tag === 'incoming-call' ? [{ action: 'answer', title: 'Answer' }, { action: 'reject', title: 'Reject' }] : [];
    // one retry: a worker being replaced or a busy browser can reject the first attempt
    for (let attempt = 1; ; attempt++) {
      try {
        const reg = await serviceWorkerRegistration();
        if (reg) await reg.showNotification(title, { ...options, actions });
        else new Notification(title, options);
        return;
      } catch (e) {
        if (attempt >= 2) throw e;
        console.warn(`notification "${title}" failed (${e?.message ?? e}), trying again`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } catch (e) {
    console.warn(`notification "${title}" not shown: ${e?.message ?? e}`);
  }
}

/** The active service worker registration, or null when there is none (or none within 2 s). */
function serviceWorkerRegistration() {
  const sw = navigator.serviceWorker;
  if (!sw?.getRegistration) return Promise.resolve(null);
  return sw.getRegistration().then((reg) => {
    if (!reg || reg.active) return reg ?? null;
    return Promise.race([sw.ready, new Promise((resolve) => setTimeout(() => resolve(null), 2000))]);
  });
}

if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.hostname === 'localhost' || location.hostname === '127.0.0.1')) {
  navigator.serviceWorker.register('sw.js').catch(() => {});
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'answer') void answerIncoming();
    if (event.data?.type === 'reject') rejectIncoming();
  });
}

// ---------- devices ----------
async function fillDevices() {
  try {
    const { microphones, speakers } = await Phone.listDevices();
    const fill = (select, list) => {
      select.innerHTML = '';
      for (const d of list) select.append(new Option(d.label, d.id));
    };
    fill($('mic-select'), microphones);
    fill($('speaker-select'), speakers);
  } catch {
    /* device listing not permitted */
  }
}
$('mic-select').addEventListener('change', (e) => app.phone?.setMicrophone(e.target.value).catch((err) => showWarning(err.message)));
$('speaker-select').addEventListener('change', (e) => app.phone?.setSpeaker(e.target.value).catch(() => {}));

$('echo-test').addEventListener('click', async () => {
  if (!app.phone) return;
  $('preflight-result').textContent = 'Testing…';
  try {
    const r = await app.phone.preflight({ durationMs: 3000 });
    $('preflight-result').textContent = r.audioReceived
      ? `MOS ${r.mos.toFixed(1)}, RTT ${r.rttMs === null ? '–' : Math.round(r.rttMs) + ' ms'}, loss ${(r.loss * 100).toFixed(1)}%`
      : 'No audio came back';
  } catch (err) {
    $('preflight-result').textContent = `Test failed: ${err.message}`;
  }
});

// ---------- recent calls ----------
async function loadRecentCalls() {
  const list = $('recent');
  if (!app.token) {
    list.innerHTML = '<li class="muted">Sign in with an access token to see your recent calls.</li>';
    return;
  }
  try {
    const me = app.phone?.aor || '';
    const username = me.replace(/^sip:/, '').split('@')[0];
    // an access token reads only its own user's calls (placed or received), so no user filter
    const res = await fetch(`${app.account}/v1/calls?pageSize=20`, {
      headers: { Authorization: `Bearer ${app.token}` },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    const calls = Array.isArray(body.calls) ? body.calls : [];
    list.innerHTML = '';
    if (calls.length === 0) list.innerHTML = '<li class="muted">No calls yet.</li>';
    for (const c of calls) {
      const mine = String(c.from || '').replace(/^sips?:/, '').split('@')[0] === username;
      const other = mine ? c.to : c.from;
      const li = document.createElement('li');
      if (!mine && c.status !== 'completed' && c.status !== 'in-progress') li.classList.add('missed');
      li.innerHTML = '<span><span class="who"></span><br><span class="dir"></span></span><span class="dir when"></span>';
      li.querySelector('.who').textContent = displayName(String(other || '?'));
      const talk = c.talkDurationMs ? ' · ' + formatDuration(c.talkDurationMs) : '';
      li.querySelector('.dir').textContent = `${mine ? '↗ outgoing' : '↙ incoming'} · ${c.status}${talk}`;
      li.querySelector('.when').textContent = c.startedAt ? new Date(c.startedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : '';
      li.addEventListener('click', () => ($('target').value = displayName(String(other || ''))));
      list.append(li);
    }
  } catch (err) {
    list.innerHTML = '';
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = `Recent calls unavailable (${err.message}).`;
    list.append(li);
  }
}

// ---------- helpers ----------
function displayName(uri) {
  return String(uri).replace(/^sips?:/, '').replace(/@.*$/, '');
}
function formatDuration(ms) {
  const s = Math.floor(ms / 1000);
  const mm = String(Math.floor(s / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.slice(-2)}:${ss}` : `${mm}:${ss}`;
}
function endText(info) {
  if (info.status === 486 || info.cause === 'Busy') return 'Busy';
  if (info.cause === 'Rejected') return 'Declined';
  if (info.cause === 'Unavailable' || info.status === 480) return 'Not available';
  if (info.cause === 'Not Found' || info.status === 404) return 'Unknown number';
  return 'Call ended';
}
