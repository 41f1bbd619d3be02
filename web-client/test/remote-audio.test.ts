import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteAudio } from '../src/sdk/remote-audio';

test('the speaker is chosen on the given element through setSinkId', async () => {
  const sinks: string[] = [];
  const element = { setSinkId: async (id: string) => void sinks.push(id), srcObject: 'stream' } as unknown as HTMLAudioElement;
  const audio = new RemoteAudio(element, () => null);
  assert.equal(audio.element, element);
  await audio.setSpeaker('speaker-2');
  assert.deepEqual(sinks, ['speaker-2']);
  audio.stop();
  assert.equal(element.srcObject, null, 'the stream is detached when the call ends');
});

test('without setSinkId (or before any element exists) choosing a speaker is a no-op', async () => {
  await new RemoteAudio({} as HTMLAudioElement, () => null).setSpeaker('x');
  const none = new RemoteAudio(null, () => 'speaker-1');
  await none.setSpeaker('x');
  none.stop();
  assert.equal(none.element, null);
});
