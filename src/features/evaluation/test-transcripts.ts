/** Hand-made transcripts shared by the evaluation's unit tests and benchmark (not a test file itself). */
import type { EvaluationTurn } from './transcript.js';

export function turnMaker(prefix = 'item') {
  let n = 0;
  return (speaker: EvaluationTurn['speaker'], startMs: number, endMs: number, text: string): EvaluationTurn => ({ itemId: `${prefix}_${++n}`, speaker, text, startMs, endMs });
}

/** A French sales roleplay where the learner does everything the built-in rubric asks. */
export function goodSalesCallFr(): EvaluationTurn[] {
  const t = turnMaker('fr');
  return [
    t('assistant', 0, 4000, 'Bonjour, je suis Claire, directrice des achats. Votre solution est trop chère pour nous.'),
    t('user', 5000, 15000, "Je comprends, c'est une question légitime. Quel est votre budget cette année ? Combien d'utilisateurs avez-vous ?"),
    t('assistant', 16000, 20000, 'Nous avons cinquante utilisateurs, et un budget serré.'),
    t('user', 21000, 40000, "Nos clients économisent 20 % dès le premier mois parce que l'outil automatise les relances. Par exemple, Acme a réduit ses délais de moitié."),
    t('assistant', 41000, 44000, "D'accord, c'est intéressant."),
    t('user', 45000, 52000, 'Je vous propose un essai de deux semaines : on se cale un rendez-vous jeudi ?'),
  ];
}

/** An English sales roleplay where the learner only pitches: no question, no figure, no next step. */
export function weakSalesCallEn(): EvaluationTurn[] {
  const t = turnMaker('en');
  return [
    t('assistant', 0, 3000, 'Hi, I am Sam from purchasing. Honestly, your tool looks too expensive.'),
    t('user', 4000, 30000, 'Um, well, our tool is, like, really great and basically everyone loves it, you know. It is the best on the market and it has lots of features.'),
    t('assistant', 31000, 33000, 'That does not answer my concern.'),
    t('user', 34000, 45000, 'It is really good, actually. You should buy it.'),
  ];
}

/** An English mock interview: a technical answer, a STAR answer, and an "I don't know". */
export function interviewEn(): EvaluationTurn[] {
  const t = turnMaker('iv');
  return [
    t('assistant', 0, 4000, 'Can you explain how closures work in JavaScript, with a practical use?'),
    t('user', 5000, 30000, 'So a closure is a function that keeps access to the scope where it was created, because the inner function holds a reference to the outer variables. For example, in my last project I used a closure to build a counter for rate limiting.'),
    t('assistant', 31000, 35000, 'Tell me about a time you handled a conflict in your team.'),
    t('user', 36000, 70000, 'At my previous job the context was a late release. My role was to coordinate the testers. I decided to set up a daily sync with both teams, and as a result we shipped two weeks earlier.'),
    t('assistant', 71000, 74000, 'What is the difference between == and ===?'),
    t('user', 75000, 78000, "I don't know."),
    t('assistant', 79000, 82000, 'Thank you, that is all for today.'),
  ];
}

/**
 * A 10-minute conversation (140 turns, ≈ 1,900 user words) for the benchmark: the exchanges
 * above over and over, squeezed so that 14 rounds last 10 minutes.
 */
export function tenMinuteTranscript(): EvaluationTurn[] {
  const base = [...interviewEn().slice(0, 6), ...goodSalesCallFr().slice(0, 4).map((turn) => ({ ...turn, startMs: turn.startMs + 79_000, endMs: turn.endMs + 79_000 }))];
  const rounds = 14;
  const roundMs = 600_000 / rounds;
  const scale = roundMs / 120_000;
  const turns: EvaluationTurn[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const turn of base) {
      turns.push({ ...turn, itemId: `${turn.itemId}_r${round}`, startMs: Math.round(round * roundMs + turn.startMs * scale), endMs: Math.round(round * roundMs + turn.endMs * scale) });
    }
  }
  return turns;
}
