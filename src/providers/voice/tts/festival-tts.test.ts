import { describe, expect, it } from 'vitest';
import { childProcesses, collect, describeTtsContract, pcmOf } from './contract.js';
import { createFestivalTts } from './festival-tts.js';

describeTtsContract('festival', () => createFestivalTts(), ['text2wave', 'sox'], ['festival']);

describe('festival kept warm', () => {
  const festivalPids = async () => (await childProcesses()).filter((p) => p.name === 'festival').map((p) => p.pid);

  it('speaks sentence after sentence with one process, escapes the text, and replaces a process that died', async () => {
    const before = new Set(await festivalPids());
    const tts = createFestivalTts({ processes: 1 });
    try {
      tts.warmUp();
      const [pid] = (await festivalPids()).filter((p) => !before.has(p));
      expect(pid).toBeDefined();
      const chunks = await collect(tts.synthesize('Good morning. How are you today?', { voice: 'alloy' }));
      expect(new Set(chunks.map((c) => c.sentenceIndex))).toEqual(new Set([0, 1]));
      // Quotes, backslashes, parentheses and newlines are text, not Scheme.
      const tricky = pcmOf(await collect(tts.synthesize('He said "stop" \\ (exit) and\nleft', { voice: 'alloy' })));
      expect(tricky.length / 48_000).toBeGreaterThan(1);
      expect((await festivalPids()).filter((p) => !before.has(p))).toEqual([pid]); // still the same warm process

      process.kill(pid!, 'SIGKILL');
      // Gone from the process table once Node has reaped it (and told the pool).
      await expect.poll(async () => (await festivalPids()).includes(pid!), { timeout: 30_000 }).toBe(false);
      const again = pcmOf(await collect(tts.synthesize('Still here.', { voice: 'alloy' })));
      expect(again.length).toBeGreaterThan(0);
      const now = (await festivalPids()).filter((p) => !before.has(p));
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(pid);
    } finally {
      await tts.close();
    }
    await expect.poll(async () => (await festivalPids()).filter((p) => !before.has(p)), { timeout: 30_000 }).toEqual([]);
  }, 30_000);

  it('a warm process answers sentence after sentence (its speed: npm run bench:voice)', async () => {
    const tts = createFestivalTts({ processes: 1 });
    try {
      tts.warmUp();
      await collect(tts.synthesize('Hello.', { voice: 'alloy' })); // voice loaded
      const firstChunk: number[] = [];
      for (const text of ['I can help you with that.', 'Our gym opens at six in the morning.', 'Thank you, see you next week.']) {
        const started = performance.now();
        for await (const _chunk of tts.synthesize(text, { voice: 'alloy' })) {
          firstChunk.push(performance.now() - started);
          break;
        }
      }
      console.info(`[festival warm] time to first chunk (ms): ${firstChunk.map((v) => v.toFixed(0)).join(', ')}`);
      expect(firstChunk).toHaveLength(3);
    } finally {
      await tts.close();
    }
  }, 30_000);
});
