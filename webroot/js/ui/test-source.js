// A moving canvas picture, used by tests as a stand-in for a shared screen.

/**
 * @param {string} colour the background
 * @returns {MediaStreamTrack} a 15 fps video track drawn on a canvas
 */
export function canvasTrack(colour = '#1f6feb') {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const track = canvas.captureStream(15).getVideoTracks()[0];
  let frame = 0;
  const timer = setInterval(() => {
    if (track.readyState === 'ended') clearInterval(timer);
    frame++;
    context.fillStyle = colour;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#fff';
    context.font = '48px sans-serif';
    context.fillText(`screen ${frame}`, 40 + (frame % 200), 200);
  }, 66);
  return track;
}
