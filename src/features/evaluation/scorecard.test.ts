import { describe, expect, it } from 'vitest';
import { judgeJsonSchema, parseJudgeOutput, type JudgeOutput } from './judge-output.js';
import { interviewRubric, parseRubric } from './rubrics.js';
import { buildScorecard, criterionValue, totalScore } from './scorecard.js';
import { interviewEn } from './test-transcripts.js';

const rubric = interviewRubric('en');
const judged = (overrides: Partial<JudgeOutput> = {}): JudgeOutput => ({
  criteria: [
    { id: 'technical_accuracy', met: null, level: 3, rationale: 'Mostly right.', evidence: [{ itemId: 'iv_2', quote: 'a closure is a function that keeps access to the scope' }] },
    { id: 'depth', met: null, level: 2, rationale: 'Some depth.', evidence: [{ itemId: 'iv_2', quote: 'closures are like objects with one method' }] },
    { id: 'communication', met: null, level: 4, rationale: 'Clear.', evidence: [] },
    { id: 'structure', met: null, level: 4, rationale: 'STAR.', evidence: [{ itemId: 'iv_99', quote: 'My role was to coordinate the testers.' }, { itemId: 'iv_4', quote: '“my role was to coordinate the testers”' }] },
  ],
  questions: [
    { itemId: 'iv_5', level: 0, rationale: 'Did not know.', evidence: [{ itemId: 'iv_6', quote: "I don't know" }] },
    { itemId: 'iv_1', level: 3, rationale: 'Good.', evidence: [] },
    { itemId: 'iv_2', level: 4, rationale: 'Not a question turn.', evidence: [] },
    { itemId: 'iv_1', level: 1, rationale: 'Duplicate.', evidence: [] },
  ],
  strengths: ['  Clear examples.  ', '', 'x'.repeat(400)],
  improvements: ['Know your operators.'],
  ...overrides,
});

describe('scorecard', () => {
  it('computes the weighted score itself: round(100 × Σ weight × value / Σ weight)', () => {
    expect(criterionValue({ met: true, level: null })).toBe(1);
    expect(criterionValue({ met: false, level: null })).toBe(0);
    expect(criterionValue({ met: null, level: 3 })).toBe(0.75);
    expect(totalScore([{ weight: 2, value: 1 }, { weight: 1, value: 0 }])).toBe(67);
    expect(totalScore([])).toBe(0);
    const scorecard = buildScorecard({ rubric, kind: 'interview', language: 'en', turns: interviewEn(), output: judged(), method: 'llm', heuristicReason: null, provider: 'openai', model: 'gpt-4o-mini' });
    expect(scorecard.score).toBe(81); // (3×3 + 2×2 + 2×4 + 2×4) / (9×4) = 29/36
    expect(scorecard.criteria.map((c) => [c.id, c.level, c.levelLabel, c.value])).toEqual([
      ['technical_accuracy', 3, 'Good', 0.75],
      ['depth', 2, 'Partial', 0.5],
      ['communication', 4, 'Excellent', 1],
      ['structure', 4, 'Excellent', 1],
    ]);
  });

  it('keeps only quotes found in the turn they name, as that turn’s exact text; drops and counts the rest', () => {
    const scorecard = buildScorecard({ rubric, kind: 'interview', language: 'en', turns: interviewEn(), output: judged(), method: 'llm', heuristicReason: null, provider: 'openai', model: 'm' });
    const [accuracy, depth, , structure] = scorecard.criteria;
    expect(accuracy!.evidence).toEqual([{ itemId: 'iv_2', speaker: 'user', quote: 'a closure is a function that keeps access to the scope', startMs: 5000 }]);
    expect(depth!.evidence).toEqual([]); // a paraphrase, never in the transcript
    expect(structure!.evidence).toEqual([{ itemId: 'iv_4', speaker: 'user', quote: 'My role was to coordinate the testers', startMs: 36000 }]);
    expect(scorecard.droppedQuotes).toBe(2);
  });

  it('keeps interview questions that name an assistant turn, once, in transcript order, with that turn’s text', () => {
    const scorecard = buildScorecard({ rubric, kind: 'interview', language: 'en', turns: interviewEn(), output: judged(), method: 'llm', heuristicReason: null, provider: 'openai', model: 'm' });
    expect(scorecard.questions.map((q) => [q.itemId, q.level, q.question])).toEqual([
      ['iv_1', 3, 'Can you explain how closures work in JavaScript, with a practical use?'],
      ['iv_5', 0, 'What is the difference between == and ===?'],
    ]);
    expect(scorecard.questions[1]!.evidence[0]!.quote).toBe("I don't know");
    expect(scorecard.strengths).toEqual(['Clear examples.', `${'x'.repeat(299)}…`]);
  });
});

describe("the judge's answer", () => {
  const text = (value: unknown) => JSON.stringify(value);

  it('sends a strict JSON schema: criterion ids as an enum, every object closed, every property required', () => {
    const schema = judgeJsonSchema(rubric) as { properties: { criteria: { items: { properties: { id: { enum: string[] } }; required: string[]; additionalProperties: boolean } } }; additionalProperties: boolean; required: string[] };
    expect(schema.properties.criteria.items.properties.id.enum).toEqual(['technical_accuracy', 'depth', 'communication', 'structure']);
    expect(schema.properties.criteria.items.required).toEqual(['id', 'met', 'level', 'rationale', 'evidence']);
    expect(schema.properties.criteria.items.additionalProperties).toBe(false);
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['criteria', 'questions', 'strengths', 'improvements'] });
    expect(JSON.stringify(schema)).not.toMatch(/"\$schema"|maxItems|maxLength/);
  });

  it('accepts a valid answer (even fenced in markdown), and drops questions from a roleplay answer', () => {
    expect(parseJudgeOutput(text(judged()), rubric, 'interview').ok).toBe(true);
    const fenced = parseJudgeOutput('```json\n' + text(judged()) + '\n```', rubric, 'roleplay');
    expect(fenced.ok && fenced.output.questions).toEqual([]);
  });

  it('refuses non-JSON, a missing or repeated criterion, an unknown id, and a result of the wrong kind', () => {
    const problem = (value: string) => {
      const parsed = parseJudgeOutput(value, rubric, 'interview');
      return parsed.ok ? 'ok' : parsed.problem;
    };
    expect(problem('Sure! Here is the evaluation.')).toBe('the answer is not JSON');
    const criteria = judged().criteria;
    expect(problem(text(judged({ criteria: criteria.slice(1) })))).toBe('criterion technical_accuracy must appear exactly once (found 0)');
    expect(problem(text(judged({ criteria: [...criteria, criteria[0]!] })))).toBe('criterion technical_accuracy must appear exactly once (found 2)');
    expect(problem(text({ ...judged(), criteria: [{ ...criteria[0], id: 'charisma' }] }))).toMatch(/^criteria\.0\.id: /);
    expect(problem(text(judged({ criteria: [{ ...criteria[0]!, level: null, met: true }, ...criteria.slice(1)] })))).toBe('criterion technical_accuracy is a 0–4 scale: "level" is required');
    const yesNo = parseRubric({ id: 'y', language: 'en', criteria: [{ id: 'asks', kind: 'yes_no', label: 'Asks' }] });
    const answer = { criteria: [{ id: 'asks', met: null, level: 3, rationale: '', evidence: [] }], questions: [], strengths: [], improvements: [] };
    expect(parseJudgeOutput(text(answer), yesNo, 'roleplay')).toEqual({ ok: false, problem: 'criterion asks is yes_no: "met" must be true or false' });
    expect(problem(text({ ...judged(), criteria: [{ ...criteria[0], level: 7 }, ...criteria.slice(1)] }))).toMatch(/^criteria\.0\.level/);
  });
});
