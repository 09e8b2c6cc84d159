import { CLOSE } from '../../shared/video-signaling.js';
import { fetchVideoToken } from './bookings-api.js';
import type { SignalMessage, VideoToken } from './types.js';

export type CallStatus = 'connecting' | 'waiting' | 'connected' | 'reconnecting' | 'ended' | 'full' | 'replaced' | 'failed';
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export interface ChatLine {
  from: string;
  name: string;
  text: string;
  at: string;
  mine: boolean;
}

export interface CallStats {
  quality: Quality;
  rttMs: number | null;
  audioBytesReceived: number;
  videoBytesReceived: number;
}

export interface CallEvents {
  status(status: CallStatus): void;
  remoteStream(stream: MediaStream | null): void;
  peerName(name: string | null): void;
  chat(line: ChatLine): void;
  stats(stats: CallStats): void;
}

/**
 * A 1:1 call in a built-in room: our signaling WebSocket + one RTCPeerConnection, using the
 * "perfect negotiation" pattern (the player is the polite peer). Reconnects the socket with a
 * fresh token when it drops, and restarts ICE when the network path fails.
 */
export class BuiltinCall {
  private ws: WebSocket | null = null;
  private pc: RTCPeerConnection | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private myId = '';
  private polite = false;
  private stopped = false;
  private retries = 0;
  private statsTimer: number | null = null;
  private screen: MediaStream | null = null;
  /** Candidates that arrived before the remote description they belong to. */
  private pendingCandidates: RTCIceCandidateInit[] = [];
  /** Signaling frames are handled one at a time, in arrival order. */
  private inbox: Promise<void> = Promise.resolve();

  constructor(
    private readonly reservationId: string,
    private token: VideoToken,
    private readonly local: MediaStream,
    private readonly displayName: string,
    private readonly on: CallEvents,
  ) {}

  start(): void {
    this.connect();
    this.statsTimer = window.setInterval(() => void this.collectStats(), 1000);
  }

  private connect(): void {
    const url = new URL(this.token.signalingPath ?? '/api/video/signal', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    this.ws = ws;
    this.on.status(this.retries ? 'reconnecting' : 'connecting');
    ws.onopen = () => ws.send(JSON.stringify({ type: 'join', token: this.token.token, displayName: this.displayName }));
    ws.onmessage = (event) => {
      const msg = JSON.parse(String(event.data)) as SignalMessage;
      this.inbox = this.inbox.then(() => this.onSignal(msg)).catch((err: unknown) => console.warn('signaling', err));
    };
    ws.onclose = (event) => {
      if (this.ws !== ws || this.stopped) return;
      if (event.code === CLOSE.EXPIRED) return this.finish('ended');
      if (event.code === CLOSE.FULL) return this.finish('full');
      if (event.code === CLOSE.REPLACED) return this.finish('replaced');
      void this.reconnect();
    };
  }

  /** The socket dropped (network, server restart): a fresh token, then join again. */
  private async reconnect(): Promise<void> {
    this.on.status('reconnecting');
    const delay = Math.min(8000, 500 * 2 ** this.retries++);
    await new Promise((r) => setTimeout(r, delay));
    if (this.stopped) return;
    try {
      this.token = await fetchVideoToken(this.reservationId);
    } catch {
      if (this.retries > 6) return this.finish('failed');
      return this.reconnect();
    }
    this.connect();
  }

  private send(frame: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private peerConnection(): RTCPeerConnection {
    if (this.pc) return this.pc;
    const pc = new RTCPeerConnection({ iceServers: this.token.iceServers });
    this.pc = pc;
    for (const track of this.local.getTracks()) pc.addTrack(track, this.local);
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        this.send({ type: 'signal', data: { description: pc.localDescription?.toJSON() } });
      } catch (err) {
        console.warn('negotiation', err);
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.send({ type: 'signal', data: { candidate: candidate.toJSON() } });
    };
    pc.ontrack = ({ streams }) => this.on.remoteStream(streams[0] ?? null);
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') {
        this.retries = 0;
        this.on.status('connected');
      } else if (pc.connectionState === 'disconnected') {
        this.on.status('reconnecting');
      } else if (pc.connectionState === 'failed') {
        this.on.status('reconnecting');
        pc.restartIce();
      }
    };
    return pc;
  }

  private dropPeer(): void {
    this.pendingCandidates = [];
    this.pc?.close();
    this.pc = null;
    this.on.remoteStream(null);
    this.on.peerName(null);
  }

  private async onSignal(msg: SignalMessage): Promise<void> {
    switch (msg.type) {
      case 'joined':
        this.myId = msg.you.userId;
        this.polite = msg.you.role === 'participant';
        this.dropPeer();
        if (msg.peers.length) {
          this.on.peerName(msg.peers[0]!.name);
          this.on.status('connecting');
          this.peerConnection();
        } else {
          this.on.status('waiting');
        }
        return;
      case 'peer-joined':
        // The newcomer makes the offer; our connection is created when it arrives.
        this.dropPeer();
        this.on.peerName(msg.peer.name);
        this.on.status('connecting');
        return;
      case 'peer-left':
        this.dropPeer();
        this.on.status('waiting');
        return;
      case 'chat':
        this.on.chat({ from: msg.from, name: msg.name, text: msg.text, at: msg.at, mine: msg.from === this.myId });
        return;
      case 'ejected':
        return this.finish(msg.reason === 'expired' ? 'ended' : 'replaced');
      case 'error':
        if (msg.code === 'TOKEN_EXPIRED') return this.finish('ended');
        if (msg.code === 'ROOM_FULL') return this.finish('full');
        return;
      case 'signal':
        return this.onRemoteSignal(msg.data as { description?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit });
    }
  }

  private async onRemoteSignal(data: { description?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit }): Promise<void> {
    const pc = this.peerConnection();
    if (data.description) {
      const collision = data.description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      await pc.setRemoteDescription(data.description);
      for (const candidate of this.pendingCandidates.splice(0)) await pc.addIceCandidate(candidate).catch(() => undefined);
      if (data.description.type === 'offer') {
        await pc.setLocalDescription();
        this.send({ type: 'signal', data: { description: pc.localDescription?.toJSON() } });
      }
    } else if (data.candidate) {
      if (!pc.remoteDescription) {
        this.pendingCandidates.push(data.candidate);
        return;
      }
      try {
        await pc.addIceCandidate(data.candidate);
      } catch (err) {
        if (!this.ignoreOffer) throw err;
      }
    }
  }

  private async collectStats(): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    const report = await pc.getStats();
    let audio = 0;
    let video = 0;
    let lost = 0;
    let received = 0;
    let rtt: number | null = null;
    report.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp') {
        if (s.kind === 'audio') audio += Number(s.bytesReceived ?? 0);
        if (s.kind === 'video') video += Number(s.bytesReceived ?? 0);
        lost += Number(s.packetsLost ?? 0);
        received += Number(s.packetsReceived ?? 0);
      }
      if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') rtt = s.currentRoundTripTime * 1000;
    });
    const lossRatio = received + lost > 0 ? lost / (received + lost) : 0;
    const r = rtt as number | null;
    const quality: Quality = r === null ? 'unknown' : lossRatio > 0.08 || r > 500 ? 'poor' : lossRatio > 0.02 || r > 250 ? 'fair' : 'good';
    this.on.stats({ quality, rttMs: r === null ? null : Math.round(r), audioBytesReceived: audio, videoBytesReceived: video });
  }

  sendChat(text: string): void {
    this.send({ type: 'chat', text });
  }

  setMuted(muted: boolean): void {
    for (const t of this.local.getAudioTracks()) t.enabled = !muted;
  }

  setCameraOff(off: boolean): void {
    for (const t of this.local.getVideoTracks()) t.enabled = !off;
  }

  /** Sends the screen instead of the camera; back to the camera when it ends. */
  async toggleScreenshare(): Promise<boolean> {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === 'video');
    const camera = this.local.getVideoTracks()[0] ?? null;
    if (this.screen) {
      this.screen.getTracks().forEach((t) => t.stop());
      this.screen = null;
      await sender?.replaceTrack(camera);
      return false;
    }
    this.screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
    const track = this.screen.getVideoTracks()[0]!;
    track.onended = () => void this.toggleScreenshare();
    await sender?.replaceTrack(track);
    return true;
  }

  private finish(status: CallStatus): void {
    this.stop();
    this.on.status(status);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.statsTimer !== null) window.clearInterval(this.statsTimer);
    this.send({ type: 'leave' });
    this.ws?.close();
    this.pc?.close();
    this.pc = null;
    this.screen?.getTracks().forEach((t) => t.stop());
  }
}
