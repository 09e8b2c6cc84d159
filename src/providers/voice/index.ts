/** Public API of the speech stages (VAD, STT, TTS) the realtime voice engine is built from. */
export { encodeWav, parseWav, pcm16ToFloat32, STT_SAMPLE_RATE, TTS_SAMPLE_RATE } from './audio.js';
export { probeSpeech, probeSpeechNow, SPEECH_PATHS, type SpeechCapabilities, type SpeechProbe } from './speech-capabilities.js';
export { createSileroVad } from './vad/silero-vad.js';
export { DEFAULT_VAD_OPTIONS, type VadEngine, type VadEvent, type VadOptions, type VadStream } from './vad/types.js';
export { createPocketsphinxStt, type PocketsphinxOptions } from './stt/pocketsphinx-stt.js';
export { createStreamingPocketsphinxStt, DEFAULT_FWDFLAT, type StreamingPocketsphinxOptions } from './stt/pocketsphinx-stream-stt.js';
export type { SttCapabilities, SttEngine, SttStream, SttStreamOptions, Transcript, TranscribeOptions } from './stt/types.js';
export { createEspeakTts } from './tts/espeak-tts.js';
export { createFestivalTts } from './tts/festival-tts.js';
export { createLocalTts } from './tts/local-tts.js';
export { SentenceSplitter, splitSentences } from './sentence-splitter.js';
export { VOICE_IDS, type SynthesizeOptions, type TtsCapabilities, type TtsChunk, type TtsEngine, type TtsLanguage, type VoiceId } from './tts/types.js';
export { LOCAL_VOICES } from './tts/voices.js';
