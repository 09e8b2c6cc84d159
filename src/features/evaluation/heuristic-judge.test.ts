import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from './delivery-metrics.js';
import { heuristicJudgement } from './heuristic-judge.js';
import { interviewRubric, parseRubric, roleplayRubric } from './rubrics.js';
import { buildScorecard } from './scorecard.js';
import { goodSalesCallFr, interviewEn, turnMaker, weakSalesCallEn } from './test-transcripts.js';
import type { EvaluationTurn } from './transcript.js';
import type { EvaluationKind, EvaluationLanguage, RubricInput } from '../../shared/api/evaluation.js';

function judge(turns: EvaluationTurn[], rubricInput: RubricInput, kind: EvaluationKind = 'roleplay', language: EvaluationLanguage = 'en') {
  const rubric = parseRubric(rubricInput);
  const output = heuristicJudgement({ rubric, kind, language, turns, metrics: computeDeliveryMetrics(turns) });
  return { output, scorecard: buildScorecard({ rubric, kind, language, turns, output, method: 'heuristic', heuristicReason: 'offline_engine', provider: null, model: null }) };
}
const byId = (scorecard: ReturnType<typeof judge>['scorecard'], id: string) => scorecard.criteria.find((c) => c.id === id)!;

describe('offline heuristics: roleplay', () => {
  it('a French learner who asks, acknowledges, argues with figures and closes meets every criterion, each with quotes', () => {
    const { scorecard } = judge(goodSalesCallFr(), roleplayRubric('fr'), 'roleplay', 'fr');
    expect(scorecard.criteria.map((c) => [c.id, c.met])).toEqual([
      ['discovery_questions', true],
      ['acknowledges_objection', true],
      ['uses_figures', true],
      ['argues', true],
      ['proposes_next_step', true],
    ]);
    expect(scorecard.score).toBe(100);
    expect(byId(scorecard, 'acknowledges_objection').evidence).toEqual([{ itemId: 'fr_2', speaker: 'user', quote: "Je comprends, c'est une question légitime.", startMs: 5000 }]);
    expect(byId(scorecard, 'proposes_next_step').evidence[0]!.quote).toBe('Je vous propose un essai de deux semaines : on se cale un rendez-vous jeudi ?');
    expect(byId(scorecard, 'discovery_questions').rationale).toBe('Atteint : 3 occurrences (questions posées).');
    expect(scorecard.criteria.every((c) => c.evidence.every((e) => e.speaker === 'user'))).toBe(true);
    expect(scorecard.droppedQuotes).toBe(0);
  });

  it('an English learner who only pitches meets nothing, and is told what to improve', () => {
    const { scorecard } = judge(weakSalesCallEn(), roleplayRubric('en'));
    expect(scorecard.criteria.map((c) => c.met)).toEqual([false, false, false, false, false]);
    expect(scorecard.score).toBe(0);
    expect(byId(scorecard, 'discovery_questions').rationale).toBe('Not met: 0 of 2 expected (questions asked).');
    expect(scorecard.strengths).toEqual([]);
    expect(scorecard.improvements[0]).toBe("Asks discovery questions — Asks at least two questions about the client's needs, budget or constraints.");
    expect(scorecard.improvements).toContain('Listen more: you spoke 88% of the time.');
    expect(scorecard.improvements.some((i) => i.startsWith('Fewer filler words'))).toBe(true);
  });

  it('reads keywords and patterns of a custom rubric in both languages, and the assistant side when asked', () => {
    const turns = goodSalesCallFr();
    const { scorecard } = judge(
      turns,
      {
        id: 'custom',
        language: 'en',
        criteria: [
          { id: 'budget', kind: 'yes_no', label: 'Asks about the budget', keywords: { en: ['budget'], fr: ['enveloppe'] } },
          { id: 'delay', kind: 'yes_no', label: 'Mentions delays', patterns: { fr: ['d[ée]lais?'] } },
          { id: 'persona_price', kind: 'yes_no', label: 'The persona raises price', speaker: 'assistant', keywords: ['trop chère', 'too expensive'] },
          { id: 'two_terms', kind: 'scale', label: 'Uses product terms', keywords: ['relances', 'automatise', 'tableau de bord', 'API'], expectedMatches: 4 },
        ],
      },
    );
    expect(byId(scorecard, 'budget')).toMatchObject({ met: true, evidence: [{ itemId: 'fr_2', quote: 'Quel est votre budget cette année ?' }] });
    expect(byId(scorecard, 'delay').met).toBe(true);
    expect(byId(scorecard, 'persona_price')).toMatchObject({ met: true, evidence: [{ itemId: 'fr_1', speaker: 'assistant' }] });
    expect(byId(scorecard, 'two_terms')).toMatchObject({ level: 2, levelLabel: 'Partial', value: 0.5 });
    expect(byId(scorecard, 'two_terms').rationale).toBe('Level 2: 2 of 4 expected (keywords: relances, automatise).');
  });

  it('without any hint, matches the criterion’s own words, and says so', () => {
    const t = turnMaker();
    const { scorecard } = judge([t('assistant', 0, 1000, 'Hello.'), t('user', 1000, 5000, 'We offer a warranty on every purchase.')], {
      id: 'bare',
      language: 'en',
      criteria: [{ id: 'warranty', kind: 'yes_no', label: 'Mentions the warranty' }],
    });
    expect(byId(scorecard, 'warranty')).toMatchObject({ met: true, rationale: "Met: 1 match (the criterion's own words: warranty)." });
  });

  it('is deterministic', () => {
    const a = judge(goodSalesCallFr(), roleplayRubric('fr'), 'roleplay', 'fr');
    const b = judge(goodSalesCallFr(), roleplayRubric('fr'), 'roleplay', 'fr');
    expect(JSON.stringify(a.output)).toBe(JSON.stringify(b.output));
  });
});

describe('offline heuristics: interview', () => {
  const { scorecard } = judge(interviewEn(), interviewRubric('en', { technologies: ['javascript'] }), 'interview');

  it('scores technical accuracy from the technology’s terms, and STAR structure from its markers', () => {
    expect(byId(scorecard, 'technical_accuracy')).toMatchObject({ level: 2, levelLabel: 'Partial' });
    expect(byId(scorecard, 'technical_accuracy').rationale).toBe('Level 2: 2 of 4 expected (keywords: closure, scope).');
    const structure = byId(scorecard, 'structure');
    expect(structure).toMatchObject({ level: 4, levelLabel: 'Excellent', rationale: 'The best answer covers Situation, Task, Action and Result (4 of 4 STAR parts).' });
    expect(structure.evidence.map((e) => e.quote)).toEqual([
      'At my previous job the context was a late release.',
      'My role was to coordinate the testers.',
      'I decided to set up a daily sync with both teams, and as a result we shipped two weeks earlier.',
    ]);
  });

  it('assesses each question the interviewer asked, with the answer quoted', () => {
    expect(scorecard.questions.map((q) => [q.itemId, q.level])).toEqual([
      ['iv_1', 4],
      ['iv_3', 4],
      ['iv_5', 0],
    ]);
    expect(scorecard.questions[0]!.question).toBe('Can you explain how closures work in JavaScript, with a practical use?');
    expect(scorecard.questions[0]!.rationale).toBe('44 words, with a reason, an example and expected terms.');
    expect(scorecard.questions[2]).toMatchObject({ rationale: 'The answer says it does not know.', evidence: [{ itemId: 'iv_6', quote: "I don't know." }] });
  });

  it('weights the total: (3×2 + 2×2 + 2×3 + 2×4) / (9×4) → 67', () => {
    expect(scorecard.criteria.map((c) => [c.id, c.level])).toEqual([
      ['technical_accuracy', 2],
      ['depth', 2],
      ['communication', 3], // no fillers, but 81 words per minute is slow
      ['structure', 4],
    ]);
    expect(byId(scorecard, 'communication').rationale).toBe('0 filler words per minute, 81.3 words per minute, longest monologue 34 s.');
    expect(scorecard.score).toBe(67);
  });

  it('marks an interview without answers 0 everywhere and each question unanswered', () => {
    const t = turnMaker();
    const { scorecard: empty } = judge([t('assistant', 0, 2000, 'What is a closure?'), t('user', 2500, 3000, 'Hmm.'), t('assistant', 3500, 5000, 'Why use TypeScript?')], interviewRubric('fr'), 'interview', 'fr');
    expect(empty.questions.map((q) => [q.level, q.rationale])).toEqual([
      [1, '1 mot.'],
      [0, 'Pas de réponse.'],
    ]);
    expect(byId(empty, 'structure')).toMatchObject({ level: 0, rationale: 'Aucune réponse ne présente de Situation, Tâche, Action ou Résultat.' });
  });
});
