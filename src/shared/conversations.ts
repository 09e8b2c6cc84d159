/**
 * Every coaching moment is a conversation with a transcript; its kind says which experience it
 * belongs to (and, for voice, which agent answers).
 */
export const CONVERSATION_KINDS = ['roleplay', 'debrief', 'interview', 'kiosk', 'coach'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export const CONVERSATION_STATUSES = ['active', 'completed', 'interrupted'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
