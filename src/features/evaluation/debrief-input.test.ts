import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from './delivery-metrics.js';
import { renderDebriefInput } from './debrief-input.js';
import { heuristicJudgement } from './heuristic-judge.js';
import { interviewRubric, roleplayRubric } from './rubrics.js';
import { buildScorecard } from './scorecard.js';
import { goodSalesCallFr, interviewEn } from './test-transcripts.js';
import type { EvaluationTurn } from './transcript.js';
import type { EvaluationKind, EvaluationLanguage, Rubric } from '../../shared/api/evaluation.js';

function evaluate(turns: EvaluationTurn[], rubric: Rubric, kind: EvaluationKind, language: EvaluationLanguage) {
  const metrics = computeDeliveryMetrics(turns);
  const output = heuristicJudgement({ rubric, kind, language, turns, metrics });
  return { metrics, scorecard: buildScorecard({ rubric, kind, language, turns, output, method: 'heuristic', heuristicReason: 'offline_engine', provider: 'offline', model: null }) };
}

describe('debrief input', () => {
  it('renders a French roleplay scorecard for the debrief coach', () => {
    const text = renderDebriefInput(evaluate(goodSalesCallFr(), roleplayRubric('fr'), 'roleplay', 'fr'));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Évaluation de la séance : score 100/100 (grille roleplay-sales-v1, évaluée par des heuristiques de mots-clés, approximative).');
    expect(text).toContain("- Accueille l'objection : atteint. Atteint : 1 occurrence (prise en compte de l'interlocuteur).");
    expect(text).toContain(`  Citations : "Je comprends, c'est une question légitime."`);
    expect(text).toMatch(/^Expression : l'apprenant a parlé \d+ % du temps · [\d.]+ mots par minute · 0 mots parasites \(0 par minute\) · 3 questions posées · /m);
    expect(text).toContain('Points forts :\n- Pose des questions de découverte');
  });

  it('renders an English interview with its questions, and can switch language', () => {
    const evaluation = evaluate(interviewEn(), interviewRubric('en'), 'interview', 'en');
    const text = renderDebriefInput(evaluation);
    expect(text).toContain('Interview questions:\n- "Can you explain how closures work in JavaScript, with a practical use?": level 3/4. 44 words, with a reason and an example.');
    expect(text).toContain(`  Answer: "I don't know."`);
    expect(text).toContain('- Structure (STAR): level 4/4 (Excellent).');
    expect(text).toMatch(/^Delivery: the candidate spoke 82% of the time · /m);
    expect(renderDebriefInput(evaluation, 'fr')).toContain("Questions de l'entretien :");
  });
});
