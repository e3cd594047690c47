// The globals the page gets from classic script tags before its modules run
// (vendor/sockjs/sockjs.min.js, then vendor/vertx-eventbus/vertx-eventbus.js), as far as
// webroot/js uses them.

/** A message as the EventBus client hands it to a reply or handler callback. */
interface EventBusMessage {
  address?: string;
  body?: any;
  headers?: Record<string, string>;
  replyAddress?: string;
}

/** A failure as the EventBus client hands it to a reply or handler callback. */
interface EventBusFailure {
  failureCode?: number;
  failureType?: string;
  message?: string;
}

type EventBusCallback = (err: EventBusFailure | null, message: EventBusMessage) => void;

/** The SockJS socket under the EventBus client. */
declare class SockJS {
  constructor(url: string, reserved?: null, options?: object);
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

declare class EventBus {
  static readonly CONNECTING: 0;
  static readonly OPEN: 1;
  static readonly CLOSING: 2;
  static readonly CLOSED: 3;

  constructor(
    url: string,
    options?: {
      vertxbus_ping_interval?: number;
      vertxbus_reconnect_attempts_max?: number;
      vertxbus_reconnect_delay_min?: number;
      vertxbus_reconnect_delay_max?: number;
      vertxbus_reconnect_exponent?: number;
      vertxbus_randomization_factor?: number;
    },
  );

  state: 0 | 1 | 2 | 3;
  reconnectEnabled: boolean;
  /** null between a close and the next reconnect attempt */
  sockJSConn: SockJS | null;
  onopen: (() => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: (err: any) => void;

  /** Throws Error('INVALID_STATE_ERR') unless the state is OPEN. */
  send(address: string, message: unknown, headers: Record<string, string>, callback?: EventBusCallback): void;
  /** Throws Error('INVALID_STATE_ERR') unless the state is OPEN. */
  registerHandler(address: string, callback: EventBusCallback): void;
  enableReconnect(enable: boolean): void;
  /** Stops reconnecting and closes the socket (which must exist: not between reconnects). */
  close(): void;
}
