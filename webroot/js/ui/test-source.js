// Canvas pictures for tests: a moving one standing in for a shared screen, and a clock whose frames
// tell a viewer how old they are.

/**
 * A video track drawn on a canvas `fps` times a second until the track ends.
 * @param {{width: number, height: number, fps: number}} size
 * @param {(context: CanvasRenderingContext2D, frame: number) => void} paint draws one frame
 * @returns {MediaStreamTrack}
 */
function paintedTrack({ width, height, fps }, paint) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const track = canvas.captureStream(fps).getVideoTracks()[0];
  let frame = 0;
  const timer = setInterval(() => {
    if (track.readyState === 'ended') clearInterval(timer);
    paint(context, ++frame);
  }, 1000 / fps);
  return track;
}

/**
 * @param {string} colour the background
 * @returns {MediaStreamTrack} a 15 fps video track drawn on a canvas
 */
export function canvasTrack(colour = '#1f6feb') {
  return paintedTrack({ width: 640, height: 360, fps: 15 }, (context, frame) => {
    context.fillStyle = colour;
    context.fillRect(0, 0, 640, 360);
    context.fillStyle = '#fff';
    context.font = '48px sans-serif';
    context.fillText(`screen ${frame}`, 40 + (frame % 200), 200);
  });
}

const CLOCK_BITS = 30;
const CLOCK_BLOCKS = CLOCK_BITS + 2; // a white and a black marker frame the bits
const CLOCK_MODULO = 2 ** CLOCK_BITS;

/**
 * A picture that shows the sending page's clock, so that a test can tell how old the frame a viewer
 * shows is (every page of one browser shares the clock): Date.now() modulo 2^30 in milliseconds, as
 * a row of black and white blocks along the top, redrawn `fps` times a second.
 * @param {{width?: number, height?: number, fps?: number}} [size]
 * @returns {MediaStreamTrack}
 */
export function clockTrack({ width = 320, height = 180, fps = 15 } = {}) {
  const block = width / CLOCK_BLOCKS;
  return paintedTrack({ width, height, fps }, (context) => {
    const now = Date.now() % CLOCK_MODULO;
    context.fillStyle = '#808080';
    context.fillRect(0, 0, width, height);
    for (let i = 0; i < CLOCK_BLOCKS; i++) {
      const white = i === 0 ? true : i === CLOCK_BLOCKS - 1 ? false : Boolean((now >> (i - 1)) & 1);
      context.fillStyle = white ? '#fff' : '#000';
      context.fillRect(i * block, 0, block, height / 4);
    }
  });
}

/**
 * How old, in milliseconds, the frame a video element shows is, read from a {@link clockTrack}
 * picture; null when the picture is not one (no video yet, or the markers do not read).
 * @param {HTMLVideoElement} video
 * @returns {number|null}
 */
export function frameAge(video) {
  const width = video.videoWidth;
  const height = video.videoHeight;
  if (!width || !height) return null;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d', { willReadFrequently: true }));
  context.drawImage(video, 0, 0, width, height);
  const block = width / CLOCK_BLOCKS;
  const row = Math.floor(height / 8);
  const white = (/** @type {number} */ i) => {
    const [r, g, b] = context.getImageData(Math.floor(i * block + block / 2), row, 1, 1).data;
    return (r + g + b) / 3 > 128;
  };
  if (!white(0) || white(CLOCK_BLOCKS - 1)) return null;
  let stamp = 0;
  for (let i = 1; i <= CLOCK_BITS; i++) if (white(i)) stamp += 2 ** (i - 1);
  return (Date.now() % CLOCK_MODULO - stamp + CLOCK_MODULO) % CLOCK_MODULO;
}
