import type { Readable } from 'node:stream';

/**
 * A video provider gives every reservation a private 1:1 room and mints short-lived role
 * tokens for it. Adapters: the built-in WebRTC rooms (signed tokens, our own signaling) and
 * Daily.co. Every adapter passes the shared contract suite (contract.ts).
 */
export type VideoProviderName = 'builtin' | 'daily';
export type VideoRole = 'owner' | 'participant';

/** The properties every room gets (the same on every provider). */
export interface RoomSpec {
  /** Stable, URL-safe, unique per reservation. */
  name: string;
  /** When the room closes and ejects everyone (session end + grace). */
  expiresAtMs: number;
  maxParticipants: number;
  screenshare: boolean;
  chat: boolean;
  prejoin: boolean;
}

export interface VideoRoom {
  provider: VideoProviderName;
  name: string;
  /** Where a participant joins (Daily room URL, or our call page). */
  url: string;
  expiresAtMs: number;
}

export interface TokenRequest {
  room: VideoRoom;
  /**
   * The reservation the room belongs to and its current token version: built-in tokens carry
   * them, and the signaling hub refuses a token once the session was cancelled or moved.
   */
  reservation: { id: string; tokenVersion: number };
  userId: string;
  userName: string;
  role: VideoRole;
  /** Until when the token may be used to join (never after the room expires). */
  expiresAtMs: number;
}

export interface RecordingMedia {
  status: 200 | 206;
  contentType: string;
  contentLength: number | null;
  /** Set with 206: which bytes of the whole file this is. */
  contentRange: string | null;
  acceptRanges: boolean;
  body: Readable;
}

export interface VideoCapabilities {
  /** 'cloud': the provider records and calls our webhook; 'browser': the coach's browser records and uploads. */
  recording: 'cloud' | 'browser';
  /** The browser uses our WebSocket signaling (built-in) or the vendor's SDK (Daily). */
  client: 'builtin-webrtc' | 'daily-js';
}

export interface VideoProvider {
  readonly name: VideoProviderName;
  readonly capabilities: VideoCapabilities;
  /** Creates the room, or returns it when it already exists (idempotent). */
  createRoom(spec: RoomSpec): Promise<VideoRoom>;
  /** A fresh token for one participant; never stored by us. */
  mintToken(request: TokenRequest): Promise<string>;
  /** A short-lived download link of a cloud recording (providers with `recording: 'cloud'`). */
  recordingLink?(recordingId: string): Promise<string>;
  /**
   * Opens a cloud recording to stream it through our server: the browser stays on our origin
   * (the CSP's media-src 'self', participants-only access) and never sees the vendor's link.
   * `range` is the browser's Range header, passed on so the player can seek.
   */
  openRecording?(recordingId: string, range?: string): Promise<RecordingMedia>;
  /** For /api/health: what is active, without secrets. */
  describe(): Record<string, unknown>;
}

/** The room properties of a coaching session: private, 2 people, screenshare/chat/pre-join on. */
export function sessionRoomSpec(name: string, expiresAtMs: number): RoomSpec {
  return { name, expiresAtMs, maxParticipants: 2, screenshare: true, chat: true, prejoin: true };
}
