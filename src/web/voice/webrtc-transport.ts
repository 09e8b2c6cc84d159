import { TransportError, type ClientEvent, type RealtimeTransport, type ServerEvent, type TransportHandlers } from './transport.js';

export interface WebRtcTransportOptions {
  /** `POST` the SDP offer here (OpenAI: https://api.openai.com/v1/realtime/calls). */
  callsUrl: string;
  /** The ephemeral client secret (never the API key). */
  clientSecret: string;
  model: string;
  /** The microphone, or null (text input: receive-only audio). */
  microphone: MediaStream | null;
  /** Plays the remote audio track. */
  audioElement: HTMLAudioElement;
  iceGatheringTimeoutMs?: number;
}

/**
 * OpenAI Realtime over WebRTC: the microphone as an audio track, replies as the remote track
 * (played by an <audio> element), JSON events on the `oai-events` data channel. The SDP offer is
 * posted with the ephemeral key; the answer comes back as the body. Ready when the channel opens.
 */
export class WebRtcTransport implements RealtimeTransport {
  readonly kind = 'webrtc' as const;
  readonly mediaAudio = true;
  private peer: RTCPeerConnection | undefined;
  private channel: RTCDataChannel | undefined;
  private closing = false;

  constructor(private readonly options: WebRtcTransportOptions) {}

  async connect(handlers: TransportHandlers): Promise<void> {
    const { options } = this;
    const peer = new RTCPeerConnection();
    this.peer = peer;
    peer.ontrack = (event) => {
      options.audioElement.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      void options.audioElement.play().catch(() => undefined);
    };
    const track = options.microphone?.getAudioTracks()[0];
    if (track && options.microphone) peer.addTrack(track, options.microphone);
    else peer.addTransceiver('audio', { direction: 'recvonly' });

    const channel = peer.createDataChannel('oai-events');
    this.channel = channel;
    channel.onmessage = (message: MessageEvent<string>) => {
      try {
        handlers.onEvent(JSON.parse(message.data) as ServerEvent);
      } catch {
        // not JSON: ignored
      }
    };
    let open = false;
    const opened = new Promise<void>((resolve, reject) => {
      channel.onopen = () => {
        open = true;
        resolve();
      };
      channel.onclose = () => {
        if (!open) return reject(new TransportError('The realtime data channel closed before opening.'));
        if (!this.closing) handlers.onLost({ reason: 'data channel closed' });
      };
    });
    peer.onconnectionstatechange = () => {
      if (peer.connectionState === 'failed' && open && !this.closing) handlers.onLost({ reason: 'peer connection failed' });
    };

    await peer.setLocalDescription(await peer.createOffer());
    await this.iceGathered(peer, options.iceGatheringTimeoutMs ?? 2_000);
    const url = new URL(options.callsUrl);
    url.searchParams.set('model', options.model);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body: peer.localDescription?.sdp ?? '',
        headers: { Authorization: `Bearer ${options.clientSecret}`, 'Content-Type': 'application/sdp' },
      });
    } catch (err) {
      this.close();
      throw new TransportError('The realtime service cannot be reached.', undefined, { cause: err });
    }
    if (!response.ok) {
      this.close();
      throw new TransportError(`The realtime service refused the call (HTTP ${response.status}).`, response.status);
    }
    await peer.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new TransportError('The realtime data channel did not open in time.')), 15_000));
    await Promise.race([opened, timeout]);
  }

  /** Waits for ICE candidates to be in the offer (no trickle through the HTTP exchange). */
  private iceGathered(peer: RTCPeerConnection, timeoutMs: number): Promise<void> {
    if (peer.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        peer.removeEventListener('icegatheringstatechange', check);
        resolve();
      };
      const check = () => peer.iceGatheringState === 'complete' && done();
      const timer = setTimeout(done, timeoutMs);
      peer.addEventListener('icegatheringstatechange', check);
    });
  }

  send(event: ClientEvent): void {
    if (this.channel?.readyState === 'open') this.channel.send(JSON.stringify(event));
  }

  close(): void {
    this.closing = true;
    this.channel?.close();
    this.peer?.getSenders().forEach((sender) => sender.track && sender.replaceTrack(null).catch(() => undefined));
    this.peer?.close();
    this.options.audioElement.srcObject = null;
  }
}
