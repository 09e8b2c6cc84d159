import type { ChatMessage, ToolDefinition } from '../../types.js';
import type { AgentInput, AgentReply } from '../agent.js';
import { detectIntent, KIOSK_INTENTS, KIOSK_TOOL_KEYWORDS, type KioskIntent } from '../intents.js';
import { fill, normalize } from '../text.js';

type ToolIntent = Exclude<KioskIntent, 'greeting' | 'thanks'>;
const TOOL_INTENTS = Object.keys(KIOSK_TOOL_KEYWORDS) as ToolIntent[];

/**
 * The gym kiosk assistant: maps a request to one of the offered tools (matched by name, then
 * description) with arguments filled from the text and the tool's JSON schema; after the tool
 * result comes back, answers from it. Without a matching tool it says honestly what it cannot do.
 */
export function kioskReply(input: AgentInput): AgentReply {
  const { t } = input;
  const messages = input.request.messages;
  const last = messages[messages.length - 1];
  if (last?.role === 'tool') return answerFromToolResults(input, messages);

  const gym = input.request.agent?.kind === 'kiosk' && input.request.agent.gymName ? input.request.agent.gymName : t.kiosk.defaultGymName;
  const intent = detectIntent(input.lastUser, KIOSK_INTENTS);
  if (intent === undefined) return { text: input.lastUser === '' ? fill(t.kiosk.greeting, { gym }) : t.kiosk.fallback };
  if (intent === 'greeting') return { text: fill(t.kiosk.greeting, { gym }) };
  if (intent === 'thanks') return { text: t.kiosk.thanks };

  const tool = input.request.toolChoice === 'none' ? undefined : findTool(input.request.tools, intent);
  if (tool === undefined) return { text: t.kiosk.noTool[intent] };
  return { text: '', toolCalls: [{ name: tool.name, arguments: fillArguments(tool, input.lastUser, input.language) }] };
}

export function findTool(tools: readonly ToolDefinition[], intent: ToolIntent): ToolDefinition | undefined {
  const pattern = KIOSK_TOOL_KEYWORDS[intent];
  return tools.find((tool) => pattern.test(normalize(tool.name))) ?? tools.find((tool) => pattern.test(normalize(tool.description ?? '')));
}

function toolIntent(name: string, tools: readonly ToolDefinition[]): ToolIntent | undefined {
  return TOOL_INTENTS.find((intent) => findTool(tools, intent)?.name === name);
}

// --- arguments ---------------------------------------------------------------------------------

const DAYS: Array<[RegExp, string]> = [
  [/\b(today|tonight|aujourd'hui|ce soir)\b/, 'today'],
  [/\b(tomorrow|demain)\b/, 'tomorrow'],
  [/\b(monday|lundi)\b/, 'monday'],
  [/\b(tuesday|mardi)\b/, 'tuesday'],
  [/\b(wednesday|mercredi)\b/, 'wednesday'],
  [/\b(thursday|jeudi)\b/, 'thursday'],
  [/\b(friday|vendredi)\b/, 'friday'],
  [/\b(saturday|samedi)\b/, 'saturday'],
  [/\b(sunday|dimanche)\b/, 'sunday'],
];
const CLASSES = /\b(yoga|pilates|spinning|cycling|zumba|crossfit|hiit|boxing|boxe|body ?pump|stretching|cardio|abdos|abs)\b/;
const EQUIPMENT: Array<[RegExp, string]> = [
  [/\b(treadmill|tapis de course)\b/, 'treadmill'],
  [/\b(rowing machine|rower|rameur)\b/, 'rowing machine'],
  [/\b(elliptical|elliptique)\b/, 'elliptical'],
  [/\b(leg press|presse a cuisses|presse)\b/, 'leg press'],
  [/\b(squat rack|cage a squat)\b/, 'squat rack'],
  [/\b(bench|banc)\b/, 'bench'],
  [/\b(dumbbells?|halteres?)\b/, 'dumbbells'],
  [/\b(kettlebell)\b/, 'kettlebell'],
  [/\b(cable|poulie)\b/, 'cable machine'],
  [/\b(bike|velo)\b/, 'bike'],
  [/\b(shower|douche|locker|casier|toilets?|toilettes)\b/, 'facilities'],
];
const GOALS: Array<[RegExp, string]> = [
  [/\b(lose weight|weight loss|perdre du poids|maigrir)\b/, 'lose weight'],
  [/\b(gain muscle|build muscle|bulk|prendre du muscle|prise de masse)\b/, 'gain muscle'],
  [/\b(energy|endurance|energie)\b/, 'energy'],
];

function extract(table: Array<[RegExp, string]>, text: string): string | undefined {
  return table.find(([pattern]) => pattern.test(text))?.[1];
}

interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
}

/** Fills the properties the tool's schema declares with what the text says; required ones always get a value. */
export function fillArguments(tool: ToolDefinition, text: string, language: string): Record<string, unknown> {
  const schema = tool.parameters ?? {};
  const properties = (schema.properties ?? {}) as Record<string, JsonSchemaProperty>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const normalized = normalize(text);
  const time = /\b(\d{1,2}(?:[:h]\d{2})?\s?(?:am|pm|h)?)\b/.exec(normalized)?.[1];
  const coach = /\b(?:with|avec)\s+([A-Z][\p{L}-]+)/u.exec(text)?.[1];
  const guesses: Array<[RegExp, unknown]> = [
    [/^(day|date|when|jour)$/i, extract(DAYS, normalized)],
    [/(class|activity|course|cours|type|category)/i, CLASSES.exec(normalized)?.[1]],
    [/(equipment|machine|device|materiel|item)/i, extract(EQUIPMENT, normalized)],
    [/(goal|objective|objectif)/i, extract(GOALS, normalized)],
    [/(time|hour|heure)/i, time],
    [/(coach|trainer|instructor)/i, coach],
    [/(lang|locale)/i, language],
    [/(description|details|message|issue|problem|text|query|question|request|summary|note)/i, text.trim()],
    [/(location|area|zone|place)/i, extract(EQUIPMENT, normalized)],
  ];
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    let value = guesses.find(([pattern, guess]) => pattern.test(name) && guess !== undefined)?.[1];
    if (value !== undefined && property.enum !== undefined && !property.enum.includes(value)) value = undefined;
    if (value === undefined && required.has(name)) value = defaultFor(property, text);
    if (value !== undefined) args[name] = value;
  }
  return args;
}

function defaultFor(property: JsonSchemaProperty, text: string): unknown {
  if (property.enum !== undefined && property.enum.length > 0) return property.enum.includes('medium') ? 'medium' : property.enum[0];
  const type = Array.isArray(property.type) ? property.type[0] : property.type;
  if (type === 'number' || type === 'integer') return 1;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return text.trim();
}

// --- answering from tool results -----------------------------------------------------------------

function answerFromToolResults(input: AgentInput, messages: readonly ChatMessage[]): AgentReply {
  const { t } = input;
  let start = messages.length;
  while (start > 0 && messages[start - 1]?.role === 'tool') start--;
  const results = messages.slice(start).filter((m): m is Extract<ChatMessage, { role: 'tool' }> => m.role === 'tool');
  const caller = messages[start - 1];
  const calls = caller?.role === 'assistant' ? (caller.toolCalls ?? []) : [];
  const parts = results.map((result) => {
    const name = calls.find((call) => call.id === result.toolCallId)?.name ?? result.name ?? '';
    const parsed = parseJson(result.content);
    if (isErrorResult(parsed)) return t.kiosk.toolError;
    const intent = toolIntent(name, input.request.tools);
    const body = formatResult(parsed);
    return intent === undefined ? body : `${t.kiosk.toolLead[intent]}\n${body}`;
  });
  return { text: parts.join('\n\n') || t.kiosk.toolError };
}

function parseJson(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

function isErrorResult(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('error' in value || (value as { ok?: unknown }).ok === false);
}

const MAX_LINES = 8;

/** Renders a tool result (JSON or text) as short readable lines. */
export function formatResult(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    const lines = value.slice(0, MAX_LINES).map((item) => `- ${inline(item)}`);
    return lines.join('\n');
  }
  const record = value as Record<string, unknown>;
  for (const key of ['message', 'summary', 'answer', 'text']) {
    if (typeof record[key] === 'string') return record[key];
  }
  const lines: string[] = [];
  for (const [key, item] of Object.entries(record)) {
    if (lines.length >= MAX_LINES) break;
    if (Array.isArray(item)) lines.push(`${humanKey(key)}:\n${formatResult(item)}`);
    else lines.push(`- ${humanKey(key)}: ${inline(item)}`);
  }
  return lines.join('\n');
}

function inline(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(inline).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== null && item !== undefined && typeof item !== 'object')
    .map(([, item]) => String(item))
    .join(' — ');
}

function humanKey(key: string): string {
  return key.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
