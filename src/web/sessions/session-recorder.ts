import { toApiError } from '../api/client.js';
import { bookingUrls } from './bookings-api.js';

/**
 * The coach's browser recording of a built-in call: the other person's video with both
 * voices mixed, through MediaRecorder, uploaded as WebM when it stops.
 */
export class SessionRecorder {
  private recorder: MediaRecorder | null = null;
  private audio: AudioContext | null = null;
  private chunks: Blob[] = [];

  start(local: MediaStream, remote: MediaStream | null): void {
    this.audio = new AudioContext();
    const mix = this.audio.createMediaStreamDestination();
    for (const s of [local, remote]) {
      if (s && s.getAudioTracks().length) this.audio.createMediaStreamSource(s).connect(mix);
    }
    const video = (remote ?? local).getVideoTracks()[0];
    const stream = new MediaStream([...(video ? [video] : []), ...mix.stream.getAudioTracks()]);
    this.chunks = [];
    this.recorder = new MediaRecorder(stream, { mimeType: MediaRecorder.isTypeSupported('video/webm') ? 'video/webm' : '' });
    this.recorder.ondataavailable = (e) => {
      if (e.data.size) this.chunks.push(e.data);
    };
    this.recorder.start(1000);
  }

  get recording(): boolean {
    return this.recorder?.state === 'recording';
  }

  /** Stops and uploads; resolves when the server has stored it. */
  async stopAndUpload(reservationId: string): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return;
    await new Promise<void>((resolve) => {
      recorder.onstop = () => resolve();
      recorder.stop();
    });
    void this.audio?.close();
    this.recorder = null;
    const form = new FormData();
    form.append('file', new Blob(this.chunks, { type: 'video/webm' }), 'session.webm');
    const res = await fetch(bookingUrls.recordings(reservationId), { method: 'POST', body: form, credentials: 'same-origin' });
    if (!res.ok) throw await toApiError(res);
  }
}
