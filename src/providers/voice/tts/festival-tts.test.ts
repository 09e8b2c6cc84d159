import { describeTtsContract } from './contract.js';
import { createFestivalTts } from './festival-tts.js';

describeTtsContract('festival', () => createFestivalTts(), ['festival', 'text2wave', 'sox']);
