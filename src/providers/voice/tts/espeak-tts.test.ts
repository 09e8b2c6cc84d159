import { describeTtsContract } from './contract.js';
import { createEspeakTts } from './espeak-tts.js';

describeTtsContract('espeak-ng', () => createEspeakTts(), ['espeak-ng', 'sox']);
