// Small DOM helpers for the UI layer (the only code that touches the document).

/**
 * @param {string} id
 * @returns {any} the element (typed loosely: callers know what they asked for)
 */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing element #${id}`);
  return element;
}

/**
 * Creates an element whose text is set with textContent, never parsed as HTML.
 * @param {string} tag
 * @param {{className?: string, text?: string}} [options]
 * @returns {HTMLElement}
 */
export function make(tag, options = {}) {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  return element;
}

/**
 * @param {HTMLElement} element
 * @param {boolean} visible
 */
export function show(element, visible) {
  element.hidden = !visible;
}

/**
 * Ends a text with exactly one full stop, keeping a stop, question or exclamation mark, or ellipsis
 * it already has (server sentences end with one; composed ones may not).
 * @param {string} text
 * @returns {string}
 */
export function sentence(text) {
  const trimmed = String(text ?? '').trim();
  return !trimmed || /[.!?…]$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * @param {number} n
 * @param {string} noun singular, made plural with an s
 * @returns {string} e.g. "1 viewer" or "2 viewers"
 */
export function counted(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * @param {number} ms a duration
 * @returns {string} e.g. "5 min" or "1 h 20 min"
 */
export function duration(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 1) return 'just started';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
