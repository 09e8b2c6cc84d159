/**
 * How a session ends when the server ends it (a limit, the app, a slow client): the `error` event's
 * code and the WebSocket close code. The client always gets the `error` event first, then the close.
 */
export type SessionEndReason =
  /** The session's maximum duration, or the app says its time is up. */
  | 'session_expired'
  /** No audio or text from the client for `idleTimeoutMs`. */
  | 'idle_timeout'
  /** The app revoked the credential the session was opened with. */
  | 'credential_revoked'
  /** The app's quota (voice minutes…) is used up. */
  | 'quota_exhausted'
  /** The client does not read what it is sent (the socket's buffer keeps growing). */
  | 'slow_consumer'
  /** The client caused more than `maxErrorsPerMinute` error events (a flood of refused appends, updates…). */
  | 'too_many_errors'
  /** The app's `mayStart` hook said no (one-time credential already used, too many sessions…). */
  | 'session_refused'
  /** The server is shutting down. */
  | 'server_shutdown';

export const CLOSE_CODES: Record<SessionEndReason, number> = {
  session_expired: 4408,
  idle_timeout: 4408,
  credential_revoked: 4403,
  quota_exhausted: 4402,
  slow_consumer: 4429,
  too_many_errors: 4429,
  session_refused: 4403,
  server_shutdown: 1001,
};

export const END_MESSAGES: Record<SessionEndReason, string> = {
  session_expired: 'The session reached its maximum duration.',
  idle_timeout: 'No audio or text was received for too long.',
  credential_revoked: 'The credential of this session was revoked.',
  quota_exhausted: 'The voice quota is used up.',
  slow_consumer: 'The client does not read the events it is sent fast enough.',
  too_many_errors: 'Too many refused events: the session is closed.',
  session_refused: 'This session may not start.',
  server_shutdown: 'The server is shutting down.',
};

/** Why a session ended, as reported to `onEnd`: one of the reasons above, or the client closed it. */
export type SessionCloseReason = SessionEndReason | 'client_closed';
