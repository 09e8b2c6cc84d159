import captureWorkletUrl from './pcm-capture-worklet.js?worker&url';
import { CAPTURE_PROCESSOR, REALTIME_SAMPLE_RATE } from './pcm.js';

/** Why the microphone could not be opened (the client falls back to text input). */
export type MicFailure = 'denied' | 'unavailable';

export class MicError extends Error {
  constructor(readonly reason: MicFailure, cause: unknown) {
    super(reason === 'denied' ? 'Microphone access denied' : 'No microphone available', { cause });
    this.name = 'MicError';
  }
}

/** Asks for the microphone. NotAllowedError/SecurityError → denied; no device/API → unavailable. */
export async function openMicrophone(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new MicError('unavailable', new Error('getUserMedia is not supported (insecure origin?)'));
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
  } catch (err) {
    const name = err instanceof DOMException ? err.name : '';
    throw new MicError(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable', err);
  }
}

export interface PcmCapture {
  /** Sends silence instead of the microphone (the stream keeps its timing). */
  setMuted(muted: boolean): void;
  stop(): void;
}

/** ms of audio in one chunk posted by the worklet. */
export { CAPTURE_CHUNK_MS } from './pcm.js';

/**
 * Microphone → AudioWorklet → PCM16 24 kHz mono chunks of 40 ms, on the given context (any
 * rate: the worklet resamples). `onChunk` receives each chunk on the main thread.
 */
export async function startPcmCapture(context: AudioContext, stream: MediaStream, onChunk: (pcm: Int16Array) => void): Promise<PcmCapture> {
  await context.audioWorklet.addModule(captureWorkletUrl);
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
  // The graph must reach the destination for the worklet to be pulled; a muted gain keeps it silent.
  const sink = context.createGain();
  sink.gain.value = 0;
  node.port.onmessage = (event: MessageEvent<ArrayBuffer>) => onChunk(new Int16Array(event.data));
  source.connect(node).connect(sink).connect(context.destination);
  return {
    setMuted: (muted) => node.port.postMessage({ muted }),
    stop() {
      node.port.onmessage = null;
      source.disconnect();
      node.disconnect();
      sink.disconnect();
    },
  };
}

export { REALTIME_SAMPLE_RATE };
