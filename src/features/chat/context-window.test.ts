import { describe, expect, it } from 'vitest';
import { estimateTokens, fitContext, type Turn } from './context-window.js';

const turns = (n: number, size: number): Turn[] =>
  Array.from({ length: n }, (_, i) => ({ role: i % 2 === 0 ? 'USER' : 'ASSISTANT', content: `${i}:${'x'.repeat(size)}` }));

describe('fitContext', () => {
  it('keeps everything when it fits', () => {
    const { messages, droppedTurns } = fitContext({ system: 'sys', history: turns(4, 10), message: 'now', budgetTokens: 1000 });
    expect(droppedTurns).toBe(0);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'now' });
  });

  it('drops the oldest turns first and never exceeds the budget', () => {
    const history = turns(20, 400); // ≈ 105 tokens each
    const budget = 600;
    const { messages, keptTurns, droppedTurns } = fitContext({ system: 'system prompt', history, message: 'latest', budgetTokens: budget });
    expect(keptTurns + droppedTurns).toBe(20);
    expect(droppedTurns).toBeGreaterThan(0);
    const used = messages.reduce((sum, m) => sum + estimateTokens(String(m.content)), 0);
    expect(used).toBeLessThanOrEqual(budget);
    // The newest stored turn is kept, right before the new message.
    expect(messages.at(-2)!.content).toBe(history[19]!.content);
    expect(messages.some((m) => m.content === history[0]!.content)).toBe(false);
  });

  it('never starts the kept history with an assistant turn', () => {
    const history = turns(6, 400);
    for (let budget = 100; budget < 1000; budget += 37) {
      const { messages } = fitContext({ system: 's', history, message: 'm', budgetTokens: budget });
      if (messages.length > 2) expect(messages[1]!.role).toBe('user');
    }
  });

  it('always keeps the system prompt and the new message, even over budget', () => {
    const { messages } = fitContext({ system: 'y'.repeat(4000), history: turns(2, 10), message: 'hello', budgetTokens: 10 });
    expect(messages).toEqual([{ role: 'system', content: 'y'.repeat(4000) }, { role: 'user', content: 'hello' }]);
  });
});
