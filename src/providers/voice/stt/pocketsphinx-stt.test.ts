import { describe, expect, it } from 'vitest';
import { describeSttContract } from './contract.js';
import { createPocketsphinxStt } from './pocketsphinx-stt.js';

describeSttContract('pocketsphinx', () => createPocketsphinxStt());

describe('pocketsphinx warm process', () => {
  it('survives its decoder being killed: the next utterance gets a fresh process', async () => {
    const stt = await createPocketsphinxStt({ timeoutMs: 1 });
    try {
      // A 1 ms decode budget kills the decoder mid-utterance: the call fails instead of hanging.
      await expect(stt.transcribe(new Int16Array(16_000))).rejects.toThrow(/exited/);
    } finally {
      await stt.close();
    }
  });
});
