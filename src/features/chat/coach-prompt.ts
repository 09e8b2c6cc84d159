import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chatSettings } from './tables.js';
import { buildInstructions, type Language } from '../../providers/llm/index.js';

/** The built-in coach, used when the organization has not set its own prompt. */
export const DEFAULT_COACH_PERSONA = [
  'You are the chat coach of Coach Hub: a coach in dating confidence and personal development.',
  'You are warm, empathetic and encouraging; you listen first, reflect what the person says, and help them find',
  'their own next small step. Keep replies short (a few sentences or a short list) and end with one open question.',
].join(' ');

/**
 * Ethical rules that always apply, whatever the organization's prompt says (they are appended
 * after it): the prompt can change the coach's style, not remove its ethics.
 */
export const COACH_RULES: readonly string[] = [
  'Never teach or encourage manipulation, pressure, deception, pick-up "techniques" or anything that ignores the other person\'s consent.',
  'Promote mutual respect, honesty and consent in every relationship; a "no" is an answer to respect.',
  'Do not shame, judge or label the person; focus on their strengths and on what they can do.',
  'You are not a therapist: if the person mentions self-harm, abuse or a crisis, encourage them kindly to contact a professional or an emergency service.',
  'Format replies in Markdown when it helps (short lists, bold for key ideas); never output HTML.',
];

/** Longest organization prompt accepted (characters). */

export function coachInstructions(input: { persona: string | null; language: Language }): string {
  const persona = input.persona?.trim() ? input.persona : DEFAULT_COACH_PERSONA;
  return buildInstructions({ persona, rules: COACH_RULES, language: input.language });
}

/** The per-organization coach prompt (null = the built-in coach). */
export function createCoachSettings(db: Db) {
  return {
    async get(organizationId: string): Promise<{ coachPrompt: string | null; updatedAt: string | null }> {
      const [row] = await db.select().from(chatSettings).where(eq(chatSettings.organizationId, organizationId));
      return { coachPrompt: row?.coachPrompt ?? null, updatedAt: row?.updatedAt.toISOString() ?? null };
    },
    async set(organizationId: string, coachPrompt: string | null): Promise<{ coachPrompt: string | null; updatedAt: string }> {
      const updatedAt = new Date();
      const value = coachPrompt?.trim() ? coachPrompt.trim() : null;
      await db
        .insert(chatSettings)
        .values({ organizationId, coachPrompt: value, updatedAt })
        .onConflictDoUpdate({ target: chatSettings.organizationId, set: { coachPrompt: value, updatedAt } });
      return { coachPrompt: value, updatedAt: updatedAt.toISOString() };
    },
  };
}

export type CoachSettings = ReturnType<typeof createCoachSettings>;
