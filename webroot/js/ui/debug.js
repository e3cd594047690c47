// window.airwaveDebug, the tests' hook: the page's state, and a few actions (drop the socket, restart
// ICE, share a canvas or a clock) and measures (brightness, frame age, what the broadcaster sends). Installed only when asked for (docs/testing.md).

import { Peer } from '../negotiation.js';
import { inboundSample } from '../relay-health.js';
import { canvasTrack, clockTrack, frameAge } from './test-source.js';

/**
 * @param {{bus: import('../bus.js').Bus,
 *          broadcaster: import('../broadcaster.js').BroadcasterSession,
 *          viewer: import('../viewer.js').ViewerSession,
 *          media: import('../media.js').LocalMedia,
 *          broadcasterView: import('./broadcaster-view.js').BroadcasterView,
 *          shell: import('./shell.js').Shell,
 *          mode: () => string}} parts
 */
export function installDebugHook(parts) {
  if ('airwaveDebug' in window) return;
  const { bus, broadcaster, viewer, media, broadcasterView } = parts;
  const video = /** @type {HTMLVideoElement} */ (document.getElementById('remote-video'));
  Object.defineProperty(window, 'airwaveDebug', {
    value: Object.freeze({
      /** Forgets the error notices shown so far, after a test that meant to cause one. */
      forgetErrors() {
        parts.shell.errors.length = 0;
      },
      async stats() {
        const inbound = viewer.peer ? await inboundStats(viewer.peer.pc) : {};
        return {
          mode: parts.mode(),
          connection: bus.state,
          peerId: bus.hello?.peerId ?? null,
          openPeerConnections: Peer.openCount,
          errors: [...parts.shell.errors],
          ice: {
            transportPolicy: bus.hello?.iceTransportPolicy ?? null,
            helloRefreshes: bus.helloRefreshes,
          },
          viewer: {
            state: viewer.state,
            name: viewer.name,
            channelId: viewer.channelId,
            pcSerial: viewer.peer?.serial ?? null,
            pcState: viewer.peer?.pc.connectionState ?? null,
            videoWidth: video.videoWidth,
            videoHeight: video.videoHeight,
            muted: video.muted,
            ...inbound,
            relayChannel: viewer.relayChannel,
            parentId: viewer.relay.parentId,
            children: viewer.relay.downstream.ids(),
            relaying: viewer.relay.downstream.size > 0,
            able: viewer.relay.able,
            fellBehind: viewer.relay.fellBehind,
            stalledReports: viewer.relay.stalledReports,
          },
          broadcaster: {
            state: broadcaster.state,
            channelId: broadcaster.channel?.id ?? null,
            viewerCount: broadcaster.audience.viewerCount,
            viewers: [...broadcaster.audience.viewers.values()].map((v) => v.name),
            peers: [...broadcaster.audience.peers.values()].map((p) => ({
              serial: p.serial,
              state: p.pc.connectionState,
            })),
            sharing: Boolean(media.share),
            micOn: media.micOn,
            cameraOn: media.cameraOn,
            senders: [...broadcaster.audience.peers.values()].flatMap((p) =>
              [...p.senders.entries()].map(([kind, sender]) => ({
                kind,
                enabled: sender.track?.enabled ?? null,
                label: sender.track?.label ?? null,
              })),
            ),
            videoTrackLabel: media.videoTrack()?.label ?? null,
            relay: broadcaster.relay,
            feeding: [...broadcaster.audience.feeding],
            tree: broadcaster.audience.tree,
          },
        };
      },
      /** Mean brightness (0-255) of the remote video, sampled on a small canvas. */
      brightness() {
        const canvas = document.createElement('canvas');
        canvas.width = 32;
        canvas.height = 24;
        const context = canvas.getContext('2d', { willReadFrequently: true });
        if (!context || !video.videoWidth) return -1;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
        return sum / (data.length / 4);
      },
      /** The ICE settings the next peer connection would get (asking hello again when stale). */
      iceConfig() {
        return bus.iceConfig();
      },
      /** Makes the next peer connection ask hello again for fresh TURN credentials. */
      expireIceConfig() {
        bus.expireIceConfig();
      },
      /** Restarts ICE as the pages do on a failed connection: the viewer's peer, else every viewer's. */
      restartIce() {
        if (viewer.peer) viewer.peer.restartIce();
        else for (const peer of broadcaster.audience.peers.values()) peer.restartIce();
      },
      /** The ICE username fragments of the viewer's connection, local and remote. */
      iceUfrags() {
        const ufrag = (/** @type {RTCSessionDescription|null} */ d) =>
          d?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1] ?? null;
        const pc = viewer.peer?.pc;
        return { local: ufrag(pc?.localDescription ?? null), remote: ufrag(pc?.remoteDescription ?? null) };
      },
      /** Drops the socket as a network failure would; the bus reconnects by itself. */
      dropSocket() {
        bus.eb?.sockJSConn?.close();
      },
      /** Shares a canvas picture through the same replaceTrack path as "Share screen". */
      shareCanvas() {
        media.shareTrack(canvasTrack());
        broadcasterView.refresh();
      },
      /**
       * Shares a picture of this page's clock the same way, small and slow enough for many pages on
       * one machine; viewers' frameAge() reads it.
       * @param {{width?: number, height?: number, fps?: number}} [size]
       */
      shareClock(size) {
        media.shareTrack(clockTrack(size));
        broadcasterView.refresh();
      },
      /** How old the frame the viewer shows is, in ms, when the broadcaster shares its clock. */
      frameAge() {
        return frameAge(video);
      },
      /**
       * Makes this relaying viewer stall as a hung page would: its connections to the viewers it
       * feeds stay open, and nothing goes through them any more.
       */
      async stallRelay() {
        for (const peer of viewer.relay.downstream.peers()) {
          await peer.replaceTrack('audio', null);
          await peer.replaceTrack('video', null);
        }
      },
      /** What the broadcaster has sent so far over all its connections, from their getStats. */
      async outbound() {
        let bytes = 0;
        let frames = 0;
        for (const peer of broadcaster.audience.peers.values()) {
          (await peer.pc.getStats()).forEach((/** @type {any} */ stat) => {
            if (stat.type !== 'outbound-rtp') return;
            bytes += stat.bytesSent ?? 0;
            if (stat.kind === 'video') frames += stat.framesEncoded ?? 0;
          });
        }
        return { connections: broadcaster.audience.peers.size, bytes, frames };
      },
    }),
  });
}

/**
 * @typedef {{framesDecoded: number, audioPackets: number, videoPackets: number,
 *            localCandidateType: string|null, remoteCandidateType: string|null}} InboundStats
 */

/**
 * @param {RTCPeerConnection} pc
 * @returns {Promise<InboundStats>}
 */
async function inboundStats(pc) {
  const report = await pc.getStats();
  const pair = selectedPair(report);
  const sample = inboundSample(report);
  return {
    framesDecoded: sample?.frames ?? 0,
    audioPackets: sample?.audio ?? 0,
    videoPackets: sample?.received ?? 0,
    localCandidateType: report.get(pair?.localCandidateId)?.candidateType ?? null,
    remoteCandidateType: report.get(pair?.remoteCandidateId)?.candidateType ?? null,
  };
}

/**
 * @param {RTCStatsReport} report
 * @returns {any} the candidate pair the transport uses, or the nominated succeeded one
 */
function selectedPair(report) {
  /** @type {any} */ let pair = null;
  report.forEach((stat) => {
    if (stat.type === 'transport' && stat.selectedCandidatePairId) {
      pair = report.get(stat.selectedCandidatePairId) ?? pair;
    }
  });
  if (pair) return pair;
  report.forEach((stat) => {
    if (stat.type === 'candidate-pair' && stat.nominated && stat.state === 'succeeded') pair = stat;
  });
  return pair;
}
