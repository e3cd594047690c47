// media.js without a browser: fake tracks, streams and devices.

import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { LocalMedia } from '../../../webroot/js/media.js';
import { FakeMediaDevices, FakeMediaStream, FakeTrack } from './fakes/media.js';

/** @type {FakeMediaDevices} */
let devices;

beforeEach(() => {
  globalThis.MediaStream = FakeMediaStream;
  devices = new FakeMediaDevices();
  Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices: devices }, configurable: true, writable: true });
});

/** LocalMedia whose outgoing-track changes are recorded. */
function makeMedia() {
  const media = new LocalMedia();
  const seen = { video: [], audio: [], shareEnded: 0 };
  media.onvideochange = (track) => seen.video.push(track);
  media.onaudiochange = (track) => seen.audio.push(track);
  media.onshareended = () => seen.shareEnded++;
  return { media, seen };
}

/** LocalMedia with camera and microphone open. */
async function openMedia() {
  const parts = makeMedia();
  await parts.media.open();
  return { ...parts, camera: parts.media.camera, mic: parts.media.mic };
}

describe('LocalMedia camera and microphone', () => {
  it('open() takes camera and microphone, puts both in the stream and announces them', async () => {
    const { media, seen, camera, mic } = await openMedia();
    assert.deepEqual(devices.requests, [{ video: true, audio: true }]);
    assert.deepEqual(media.stream.getTracks(), [camera, mic]);
    assert.deepEqual([seen.video, seen.audio], [[camera], [mic]]);
    assert.deepEqual([media.cameraId(), media.micId()], ['default-video', 'default-audio']);
  });

  it('open() with chosen devices asks for exactly those', async () => {
    const { media } = makeMedia();
    await media.open({ cameraId: 'cam-2', micId: 'mic-2' });
    assert.deepEqual(devices.requests, [
      { video: { deviceId: { exact: 'cam-2' } }, audio: { deviceId: { exact: 'mic-2' } } },
    ]);
    assert.deepEqual([media.cameraId(), media.micId()], ['cam-2', 'mic-2']);
  });

  it('useCamera() and useMic() replace the tracks in the stream and stop the old ones', async () => {
    const { media, seen, camera, mic } = await openMedia();
    await media.useCamera('cam-2');
    await media.useMic('mic-2');
    assert.deepEqual([camera.readyState, mic.readyState], ['ended', 'ended']);
    assert.deepEqual(media.stream.getTracks(), [media.camera, media.mic]);
    assert.deepEqual([media.cameraId(), media.micId()], ['cam-2', 'mic-2']);
    assert.deepEqual([seen.video.at(-1), seen.audio.at(-1)], [media.camera, media.mic]);
  });

  it('a camera or microphone turned off stays off across a device switch', async () => {
    const { media, camera, mic } = await openMedia();
    media.setCameraOn(false);
    media.setMicOn(false);
    assert.deepEqual([camera.enabled, mic.enabled], [false, false]);
    await media.useCamera('cam-2');
    await media.useMic('mic-2');
    assert.deepEqual([media.camera.enabled, media.mic.enabled], [false, false]);
    media.setCameraOn(true);
    assert.equal(media.camera.enabled, true);
  });

  it('devices() lists cameras and microphones, and names unlabelled ones', async () => {
    devices.devices = [
      { kind: 'videoinput', deviceId: 'c1', label: 'Front camera' },
      { kind: 'audioinput', deviceId: 'm1', label: '' },
      { kind: 'audiooutput', deviceId: 's1', label: 'Speaker' },
      { kind: 'videoinput', deviceId: 'c2', label: '' },
    ];
    assert.deepEqual(await new LocalMedia().devices(), {
      cameras: [
        { id: 'c1', label: 'Front camera' },
        { id: 'c2', label: 'videoinput 2' },
      ],
      mics: [{ id: 'm1', label: 'audioinput 1' }],
    });
  });

  it('close() stops every track and leaves an empty stream', async () => {
    const { media, camera, mic } = await openMedia();
    const screen = new FakeTrack('video', 'screen');
    media.shareTrack(screen);
    media.close();
    assert.deepEqual([camera, mic, screen].map((t) => t.readyState), ['ended', 'ended', 'ended']);
    assert.deepEqual([media.camera, media.mic, media.share], [null, null, null]);
    assert.deepEqual(media.stream.getTracks(), []);
  });
});

describe('LocalMedia screen sharing', () => {
  it('sends the screen instead of the camera, and the camera again after stopSharing()', async () => {
    const { media, seen, camera } = await openMedia();
    const screen = new FakeTrack('video', 'screen');
    media.shareTrack(screen);
    assert.equal(media.videoTrack(), screen);
    assert.deepEqual(media.stream.getVideoTracks(), [screen]);
    assert.equal(camera.readyState, 'live');
    media.stopSharing();
    assert.equal(media.videoTrack(), camera);
    assert.deepEqual(media.stream.getVideoTracks(), [camera]);
    assert.equal(screen.readyState, 'ended');
    assert.deepEqual(seen.video, [camera, screen, camera]);
    assert.equal(seen.shareEnded, 0);
  });

  it('shareScreen() shares what the browser picker gives', async () => {
    const { media } = await openMedia();
    await media.shareScreen();
    assert.equal(media.videoTrack().deviceId, 'screen');
  });

  it('a share ended from outside goes back to the camera and says so', async () => {
    const { media, seen, camera } = await openMedia();
    const screen = new FakeTrack('video', 'screen');
    media.shareTrack(screen);
    screen.end();
    assert.equal(media.share, null);
    assert.deepEqual(media.stream.getVideoTracks(), [camera]);
    assert.equal(seen.shareEnded, 1);
  });

  it('a second share replaces the first, and the first one ending later changes nothing', async () => {
    const { media, seen } = await openMedia();
    const first = new FakeTrack('video', 'first');
    const second = new FakeTrack('video', 'second');
    media.shareTrack(first);
    media.shareTrack(second);
    assert.equal(first.readyState, 'ended');
    assert.deepEqual(media.stream.getVideoTracks(), [second]);
    first.end();
    assert.equal(media.videoTrack(), second);
    assert.equal(seen.shareEnded, 0);
  });

  it('a camera switch while sharing keeps sending the screen, and the new camera comes back after', async () => {
    const { media, seen } = await openMedia();
    const screen = new FakeTrack('video', 'screen');
    media.shareTrack(screen);
    await media.useCamera('cam-2');
    assert.equal(media.videoTrack(), screen);
    assert.deepEqual(media.stream.getVideoTracks(), [screen]);
    assert.equal(seen.video.at(-1), screen);
    media.stopSharing();
    assert.deepEqual(media.stream.getVideoTracks(), [media.camera]);
    assert.equal(media.cameraId(), 'cam-2');
  });

  it('stopSharing() without a share does nothing', async () => {
    const { media, seen } = await openMedia();
    media.stopSharing();
    assert.equal(seen.video.length, 1);
  });
});
