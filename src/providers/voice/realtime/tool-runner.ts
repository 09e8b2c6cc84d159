/**
 * Server-side tools: functions the engine runs itself (no browser round trip). Their result is
 * appended as a `function_call_output` item and the response continues.
 */
import type { ToolDefinition } from '../../llm/index.js';

export interface ServerTool {
  name: string;
  description?: string;
  /** JSON schema of the arguments object. */
  parameters?: Record<string, unknown>;
  execute(args: unknown, context: { signal: AbortSignal }): Promise<unknown>;
}

export function toToolDefinition(tool: ServerTool): ToolDefinition {
  return { name: tool.name, ...(tool.description ? { description: tool.description } : {}), ...(tool.parameters ? { parameters: tool.parameters } : {}) };
}

/** Runs a tool; its result (or failure) becomes the output text given back to the model. Never throws unless aborted. */
export async function runServerTool(tool: ServerTool, argumentsJson: string, signal: AbortSignal): Promise<string> {
  let args: unknown;
  try {
    args = argumentsJson.trim() ? JSON.parse(argumentsJson) : {};
  } catch {
    return JSON.stringify({ error: 'arguments are not valid JSON' });
  }
  try {
    const result = await tool.execute(args, { signal });
    return typeof result === 'string' ? result : JSON.stringify(result ?? null);
  } catch (err) {
    signal.throwIfAborted();
    return JSON.stringify({ error: err instanceof Error ? err.message : String(err) });
  }
}
