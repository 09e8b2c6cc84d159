import { z } from 'zod';
import type { EvaluationKind, Rubric } from '../../shared/api/evaluation.js';

/**
 * What a judge answers — the model through structured output, or the offline heuristics in the
 * same shape: per criterion a result, a rationale and quotes claimed from transcript turns; per
 * interview question a level; strengths and things to improve. Quotes are claims until
 * `buildScorecard` verifies them against the turns.
 */
const MAX_TEXT = 600;
const ZShortText = z.string().transform((text) => clip(text.trim(), MAX_TEXT));
const ZClaim = z.object({ itemId: z.string().max(200), quote: z.string().max(2000) });
const ZLevel = z.literal([0, 1, 2, 3, 4]);

export function judgeOutputSchema(rubric: Rubric) {
  const ids = rubric.criteria.map((criterion) => criterion.id) as [string, ...string[]];
  return z.object({
    criteria: z
      .array(
        z.object({
          id: z.enum(ids),
          met: z.boolean().nullable(),
          level: ZLevel.nullable(),
          rationale: ZShortText,
          evidence: z.array(ZClaim).max(10),
        }),
      )
      .max(rubric.criteria.length * 2),
    questions: z
      .array(z.object({ itemId: z.string().max(200), level: ZLevel, rationale: ZShortText, evidence: z.array(ZClaim).max(10) }))
      .max(100),
    strengths: z.array(ZShortText).max(10),
    improvements: z.array(ZShortText).max(10),
  });
}

export type JudgeOutput = z.output<ReturnType<typeof judgeOutputSchema>>;
export type JudgeCriterion = JudgeOutput['criteria'][number];
export type JudgeQuestion = JudgeOutput['questions'][number];

/**
 * The JSON schema sent with the request (OpenAI strict mode: every property required,
 * `additionalProperties: false`; criterion ids as an enum of the rubric's).
 */
export function judgeJsonSchema(rubric: Rubric): Record<string, unknown> {
  const schema = z.toJSONSchema(judgeOutputSchema(rubric), { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  delete schema.$schema;
  return strict(schema) as Record<string, unknown>;
}

/**
 * What OpenAI's strict mode wants: `additionalProperties: false` on every object; length and
 * count limits are checked on our side instead (strict mode has rejected these keywords).
 */
function strict(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strict);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (['maxLength', 'minLength', 'maxItems', 'minItems'].includes(key)) continue;
    out[key] = strict(item);
  }
  if (out.type === 'object') out.additionalProperties = false;
  return out;
}

export type JudgeParse = { ok: true; output: JudgeOutput } | { ok: false; problem: string };

/**
 * Parses and checks a judge's answer: JSON of the schema, every criterion of the rubric exactly
 * once, `met` for yes/no criteria and `level` for scale criteria. Interview questions and
 * quotes are checked later (the unusable ones are dropped, not fatal).
 */
export function parseJudgeOutput(text: string, rubric: Rubric, kind: EvaluationKind): JudgeParse {
  let json: unknown;
  try {
    json = JSON.parse(stripCodeFence(text));
  } catch {
    return { ok: false, problem: 'the answer is not JSON' };
  }
  const parsed = judgeOutputSchema(rubric).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `${issue.path.join('.') || 'answer'}: ${issue.message}` };
  }
  const output = parsed.data;
  for (const criterion of rubric.criteria) {
    const entries = output.criteria.filter((entry) => entry.id === criterion.id);
    if (entries.length !== 1) return { ok: false, problem: `criterion ${criterion.id} must appear exactly once (found ${entries.length})` };
    const entry = entries[0]!;
    if (criterion.kind === 'yes_no' && entry.met === null) return { ok: false, problem: `criterion ${criterion.id} is yes_no: "met" must be true or false` };
    if (criterion.kind === 'scale' && entry.level === null) return { ok: false, problem: `criterion ${criterion.id} is a 0–4 scale: "level" is required` };
  }
  return { ok: true, output: kind === 'roleplay' ? { ...output, questions: [] } : output };
}

/** Some models wrap JSON in a markdown fence even when asked not to. */
function stripCodeFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/u.exec(text);
  return fenced?.[1] ?? text;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
