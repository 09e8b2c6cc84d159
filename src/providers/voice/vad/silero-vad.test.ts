import { describeVadContract } from './contract.js';
import { createSileroVad } from './silero-vad.js';

describeVadContract('silero', createSileroVad);
