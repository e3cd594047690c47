// Session life cycles as transition tables: which state may follow which. No DOM here.

/**
 * For each state, the states that may follow it. Setting the state a session is already in (a new
 * detail for the same state) is always allowed.
 * @template {string} S
 * @typedef {Readonly<Record<S, readonly S[]>>} Transitions
 */

/**
 * Freezes a table; type-checking sees that every state it names is one of its own.
 * @template {string} S
 * @param {{[K in S]: readonly NoInfer<S>[]}} table
 * @returns {Transitions<S>}
 */
export function transitions(table) {
  return Object.freeze(table);
}

/**
 * @template {string} S
 * @param {Transitions<S>} table
 * @param {S} from
 * @param {S} to
 * @returns {boolean} whether the table lets `to` follow `from`
 */
export function allowed(table, from, to) {
  return from === to || table[from].includes(to);
}

/**
 * Checks a move before a session makes it. A move the table does not have is a bug, mostly a late
 * reply or message about what the user has already left: it is logged and refused, so the session
 * stays in the state that matches what the user did last.
 * @template {string} S
 * @param {string} who the session, for the log
 * @param {Transitions<S>} table
 * @param {S} from
 * @param {S} to
 * @returns {boolean} whether the move may be made
 */
export function mayMove(who, table, from, to) {
  if (allowed(table, from, to)) return true;
  console.error(`airwave: ${who} may not go from ${from} to ${to}; it stays ${from}`);
  return false;
}
