import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { ChatHistoryItem, ChatModelFunctions, GbnfJsonSchema, Llama, LlamaChat, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel } from 'node-llama-cpp';
import type { Logger } from 'pino';
import { createEventChannel } from './event-channel.js';
import { toLlamaFunctions, toLlamaHistory } from './llama-history.js';
import { toGbnfJsonSchema } from './llama-json-schema.js';
import { abortReason, ProviderError } from './provider-error.js';
import type { FinishReason, JsonResponseFormat, LlmEvent, LlmProvider, ProviderCall, ResolvedRequest, ToolCall } from './types.js';

export interface LlamaProviderOptions {
  modelPath: string;
  logger: Logger;
  /** Context window in tokens (default: the model's training context, at most 4096). */
  contextSize?: number;
  /**
   * CPU threads for evaluation (LLM_THREADS). Default: the math cores minus one, at least one,
   * leaving a core to the server's event loop. (node-llama-cpp's own default, at least 4 threads,
   * oversubscribes small machines: on 2 cores it was ~8x slower than 1 thread.)
   */
  threads?: number;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
}

/**
 * A local GGUF model in-process through node-llama-cpp, using only its prebuilt CPU binary:
 * `build: 'never'` + `skipDownload` mean nothing is ever downloaded or compiled, and `gpu: false`
 * skips the CUDA/Vulkan variants. Calls run one at a time on one context sequence (a CPU model
 * is compute bound anyway); the model loads on first use or on `warmUp()`.
 */
export function createLlamaProvider(options: LlamaProviderOptions): LlmProvider {
  const modelName = path.basename(options.modelPath).replace(/\.gguf$/i, '');
  let loading: Promise<Loaded> | undefined;
  let queue: Promise<void> = Promise.resolve();

  const load = (): Promise<Loaded> => {
    loading ??= (async () => {
      await assertGgufHeader(options.modelPath);
      const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
      const llama = await getLlama({
        gpu: false,
        build: 'never',
        skipDownload: true,
        usePrebuiltBinaries: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => {
          const text = message.trim();
          if (text === '') return;
          if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) options.logger.error({ provider: 'llama' }, text);
          else if (level === LlamaLogLevel.warn) options.logger.warn({ provider: 'llama' }, text);
          else options.logger.debug({ provider: 'llama' }, text);
        },
      });
      try {
        const model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: 0 });
        const contextSize = options.contextSize ?? Math.min(model.trainContextSize, 4096);
        const threads = options.threads ?? Math.max(1, llama.cpuMathCores - 1);
        const context = await model.createContext({ contextSize, sequences: 1, threads });
        options.logger.info({ provider: 'llama', model: modelName, contextSize, threads }, 'Local GGUF model loaded');
        return { llama, model, context, sequence: context.getSequence() };
      } catch (error) {
        await llama.dispose();
        throw error;
      }
    })().catch((error: unknown) => {
      throw new ProviderError(`Could not load GGUF model ${options.modelPath}: ${error instanceof Error ? error.message : String(error)}`, {
        provider: 'llama',
        kind: 'model_load',
        retryable: false,
        cause: error,
      });
    });
    return loading;
  };

  /** Runs calls one after another; waiting for one's turn can be cancelled. */
  const acquire = async (signal: AbortSignal): Promise<() => void> => {
    let release!: () => void;
    const previous = queue;
    queue = new Promise<void>((resolve) => (release = resolve));
    let onAbort: (() => void) | undefined;
    try {
      if (signal.aborted) throw abortReason(signal);
      await Promise.race([
        previous,
        new Promise<never>((_, reject) => {
          onAbort = () => reject(abortReason(signal));
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } catch (error) {
      // Keep the chain intact: our turn passes as soon as the previous one finishes.
      void previous.then(release);
      throw error;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
    return release;
  };

  return {
    name: 'llama',
    model: modelName,
    capabilities: { toolCalls: true, exactUsage: true, offline: false },
    async warmUp() {
      await load();
    },
    async close() {
      if (loading === undefined) return;
      const loaded = await loading.catch(() => undefined);
      await loaded?.llama.dispose();
      loading = undefined;
    },
    async *stream(request: ResolvedRequest, call: ProviderCall): AsyncGenerator<LlmEvent, void, undefined> {
      const { LlamaChat } = await import('node-llama-cpp');
      const loaded = await load();
      const release = await acquire(call.signal);
      // Our own controller: when the consumer stops early we must stop generating *before*
      // waiting for the generation to settle.
      const controller = new AbortController();
      const forward = (): void => controller.abort(call.signal.reason);
      call.signal.addEventListener('abort', forward, { once: true });
      if (call.signal.aborted) controller.abort(call.signal.reason);

      const chat = new LlamaChat({ contextSequence: loaded.sequence, autoDisposeSequence: false });
      const before = loaded.sequence.tokenMeter.getState();
      const channel = createEventChannel<string>();
      // A grammar and functions exclude each other in node-llama-cpp: structured output wins.
      const grammar = request.responseFormat === undefined ? undefined : await jsonGrammar(loaded.llama, request.responseFormat, options.logger);
      const offered = request.toolChoice === 'none' || grammar !== undefined ? undefined : toLlamaFunctions(request.tools);
      const history = toLlamaHistory(request.messages);
      const inputTokens = promptTokens(chat, loaded.model, history, offered);
      const common = {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        signal: controller.signal,
        stopOnAbortSignal: false,
        onTextChunk: (text: string) => channel.push(text),
      };
      const generation = chat.generateResponse(history, {
        ...common,
        ...(grammar !== undefined ? { grammar } : offered !== undefined ? { functions: offered, documentFunctionParams: true } : {}),
      });
      generation.then(
        () => channel.end(),
        (error: unknown) => channel.fail(error),
      );

      let text = '';
      try {
        try {
          for await (const delta of channel) {
            if (delta === '') continue;
            text += delta;
            yield { type: 'text', delta };
          }
        } catch (error) {
          if (call.signal.aborted) throw abortReason(call.signal);
          throw new ProviderError(`Local model failed: ${error instanceof Error ? error.message : String(error)}`, {
            provider: 'llama',
            kind: 'unknown',
            retryable: false,
            cause: error,
          });
        }
        const response = await generation;
        const toolCalls: ToolCall[] = (response.functionCalls ?? []).map((functionCall) => ({
          id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
          name: functionCall.functionName,
          arguments: JSON.stringify(functionCall.params ?? {}),
        }));
        for (const toolCall of toolCalls) yield { type: 'tool_call', toolCall };
        const { usedOutputTokens } = loaded.sequence.tokenMeter.diff(before);
        yield {
          type: 'done',
          result: {
            text,
            toolCalls,
            finishReason: toFinishReason(response.metadata.stopReason, toolCalls.length),
            usage: { inputTokens, outputTokens: usedOutputTokens, approximate: false },
            provider: 'llama',
            model: modelName,
          },
        };
      } finally {
        controller.abort();
        call.signal.removeEventListener('abort', forward);
        await generation.catch(() => undefined);
        chat.dispose({ disposeSequence: false });
        release();
      }
    },
  };
}

/**
 * A grammar that only lets the model write JSON matching the requested schema (converted to the
 * subset node-llama-cpp supports). A schema it cannot compile is logged and the call goes on
 * without a grammar: the caller validates the answer anyway.
 */
async function jsonGrammar(llama: Llama, format: JsonResponseFormat, logger: Logger): Promise<LlamaGrammar | undefined> {
  try {
    return await llama.createGrammarForJsonSchema<GbnfJsonSchema>(toGbnfJsonSchema(format.schema));
  } catch (error) {
    logger.warn({ provider: 'llama', schema: format.name, err: error }, 'JSON schema not usable as a grammar; generating without it');
    return undefined;
  }
}

/**
 * Checks the magic and version before handing the file to node-llama-cpp, whose metadata reader
 * hangs (instead of failing) on files that start with "GGUF" but carry a nonsense version.
 */
export async function assertGgufHeader(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(8);
    const { bytesRead } = await handle.read(header, 0, 8, 0);
    const magic = header.subarray(0, 4).toString('latin1');
    const version = header.readUInt32LE(4);
    if (bytesRead < 8 || magic !== 'GGUF' || (version !== 2 && version !== 3)) {
      throw new Error(`${file} is not a GGUF v2/v3 file (magic ${JSON.stringify(magic)}, version ${version})`);
    }
  } finally {
    await handle.close();
  }
}

/**
 * The prompt's size in the model's own tokens, whether or not a cached prefix spares evaluating
 * it again (the token meter only counts what was evaluated).
 */
function promptTokens(chat: LlamaChat, model: LlamaModel, history: ChatHistoryItem[], functions: ChatModelFunctions | undefined): number {
  const last = history[history.length - 1];
  const chatHistory = last?.type === 'model' ? history : [...history, { type: 'model' as const, response: [] }];
  const state = chat.chatWrapper.generateContextState({
    chatHistory,
    ...(functions !== undefined ? { availableFunctions: functions, documentFunctionParams: true } : {}),
  });
  return state.contextText.tokenize(model.tokenizer).length;
}

function toFinishReason(stopReason: string, toolCalls: number): FinishReason {
  if (toolCalls > 0 || stopReason === 'functionCalls') return 'tool_calls';
  if (stopReason === 'maxTokens') return 'length';
  return 'stop';
}
