import { describe, expect, it } from 'vitest';
import { unsafePatternReason, ZRubric } from './evaluation.js';

describe('rubric contract', () => {
  it('accepts simple heuristic patterns and refuses the shapes of catastrophic backtracking', () => {
    for (const ok of ['prochaine (?:etape|rendez-vous)', '\\bnext steps?\\b', '(?:mr|mrs)?\\s*smith', '\\d+\\s?%', 'a.*b', '(?:very )+good', '[a-z]+ing', '(?<w>abc)+', 'x{2,5}', '[(]+']) {
      expect([ok, unsafePatternReason(ok)]).toEqual([ok, undefined]);
    }
    for (const bad of ['(a+)+', '(a|ab)*', '((a+))+', '(?:\\w+\\s?)*x', '(a)\\1', '(?<=a)b', '.*.*.*.*x', '(?:a|b){2,}', '((?:a|b))+', '(x?)+', '[']) {
      expect([bad, unsafePatternReason(bad)]).not.toEqual([bad, undefined]);
    }
  });

  it('applies defaults, and names what is wrong', () => {
    const rubric = ZRubric.parse({ id: 'r', language: 'fr', criteria: [{ id: 'asks', kind: 'yes_no', label: 'Pose des questions', signals: ['questions'] }] });
    expect(rubric.criteria[0]).toMatchObject({ weight: 1, speaker: 'user' });
    const duplicate = ZRubric.safeParse({ id: 'r', language: 'en', criteria: [{ id: 'a', kind: 'yes_no', label: 'A' }, { id: 'a', kind: 'yes_no', label: 'B' }] });
    expect(duplicate.success).toBe(false);
    const levelsOnYesNo = ZRubric.safeParse({ id: 'r', language: 'en', criteria: [{ id: 'a', kind: 'yes_no', label: 'A', levels: [0, 1, 2, 3, 4].map((level) => ({ level, label: `L${level}` })) }] });
    expect(levelsOnYesNo.success).toBe(false);
    const badId = ZRubric.safeParse({ id: 'r', language: 'en', criteria: [{ id: 'Has Spaces', kind: 'yes_no', label: 'A' }] });
    expect(badId.error?.issues[0]?.path).toEqual(['criteria', 0, 'id']);
    const badPattern = ZRubric.safeParse({ id: 'r', language: 'en', criteria: [{ id: 'a', kind: 'yes_no', label: 'A', patterns: { en: ['(a+)+$'] } }] });
    expect(badPattern.error?.issues[0]?.message).toMatch(/repeat a group/);
  });
});
