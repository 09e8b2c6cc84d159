/**
 * A loopback fake of the OpenAI HTTP API (`POST /v1/chat/completions`) speaking the real wire
 * format: SSE `data: {chat.completion.chunk}` lines ending with `data: [DONE]`, tool-call deltas
 * (index/id/function.name/arguments fragments), the `stream_options.include_usage` usage chunk,
 * non-streaming `chat.completion` bodies, and OpenAI-shaped error bodies.
 *
 * Scriptable: queue responses with `enqueue(...)` (consumed one per request, in order) or set a
 * `handler` for requests when the queue is empty (default: echo the last user message); a `json`
 * response scripts a structured-output answer (`requestedJsonSchema()` reads the schema a
 * recorded request sent).
 * Every request is recorded (`requests`), and `disconnects` counts responses whose client went
 * away before the response ended (what a real cancellation looks like from the server).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface FakeToolCall {
  id?: string;
  name: string;
  /** JSON text; streamed in fragments of `fragmentSize` characters. */
  arguments: string;
}

export type FakeResponse =
  /** A completion; streamed as SSE when the request asked for `stream: true`, else one JSON body. */
  | {
      kind: 'completion';
      /** Content pieces streamed as separate deltas (joined for non-streaming requests). */
      content?: string[];
      toolCalls?: FakeToolCall[];
      fragmentSize?: number;
      finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
      /** Defaults to counts derived from the request and content; `null` omits the usage chunk. */
      usage?: FakeUsage | null;
      /** Delay before each chunk (ms); 0 writes them back to back. */
      chunkDelayMs?: number;
      /** Number of content chunks to send and then stall forever (to test idle timeouts). */
      stallAfterChunks?: number;
    }
  /**
   * Structured output: a completion whose content is `value` as JSON text (or `text` verbatim, to
   * script invalid JSON), streamed in fragments of `fragmentSize` characters.
   */
  | { kind: 'json'; value?: unknown; text?: string; fragmentSize?: number; finishReason?: 'stop' | 'length' }
  | { kind: 'error'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Accepts the request and never answers (no headers). */
  | { kind: 'stall' }
  /** Destroys the socket without answering (a connection error on the client side). */
  | { kind: 'reset' }
  /** Full control: write anything. */
  | { kind: 'custom'; respond: (req: RecordedRequest, res: ServerResponse) => void | Promise<void> };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (undefined when the body was not JSON). */
  body: ChatRequestBody | undefined;
}

/** The fields of a chat completion request the fake reads; everything else is kept as sent. */
export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content?: unknown; [key: string]: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export interface FakeOpenAiServer {
  /** Base URL including `/v1`, ready for `new OpenAI({ baseURL })`. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Responses whose client disconnected before the response ended. */
  readonly disconnects: number;
  handler: (request: RecordedRequest) => FakeResponse;
  enqueue(...responses: FakeResponse[]): void;
  /** Resolves at the next client disconnect (or immediately if one happened since the last call). */
  waitForDisconnect(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Record request bodies (default true; benchmarks turn it off). */
  record?: boolean;
}

/** Echoes the last user message back, streamed word by word. */
export function echoHandler(request: RecordedRequest): FakeResponse {
  const messages = request.body?.messages ?? [];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const text = typeof lastUser?.content === 'string' ? lastUser.content : '';
  return { kind: 'completion', content: splitWords(`Echo: ${text}`) };
}

/** The `response_format.json_schema` a recorded request asked for (structured output), if any. */
export function requestedJsonSchema(request: RecordedRequest): { name: string; schema: Record<string, unknown>; strict?: boolean } | undefined {
  const format = request.body?.response_format as { type?: string; json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean } } | undefined;
  return format?.type === 'json_schema' ? format.json_schema : undefined;
}

export function splitWords(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
  const queue: FakeResponse[] = [];
  const requests: RecordedRequest[] = [];
  const record = options.record ?? true;
  let disconnects = 0;
  let unseenDisconnects = 0;
  let disconnectWaiters: Array<() => void> = [];
  const sockets = new Set<Socket>();

  const onDisconnect = (): void => {
    disconnects++;
    const waiters = disconnectWaiters;
    disconnectWaiters = [];
    if (waiters.length === 0) unseenDisconnects++;
    for (const resolve of waiters) resolve();
  };

  const fake: FakeOpenAiServer = {
    baseURL: '',
    requests,
    get disconnects() {
      return disconnects;
    },
    handler: echoHandler,
    enqueue(...responses) {
      queue.push(...responses);
    },
    waitForDisconnect() {
      if (unseenDisconnects > 0) {
        unseenDisconnects--;
        return Promise.resolve();
      }
      return new Promise((resolve) => disconnectWaiters.push(resolve));
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
      disconnects = 0;
      unseenDisconnects = 0;
      fake.handler = echoHandler;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: ChatRequestBody | undefined;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      if (record) requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) onDisconnect();
      });
      void route(recorded, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function route(req: RecordedRequest, res: ServerResponse): Promise<void> {
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendError(res, 401, { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' });
      return;
    }
    if (req.method !== 'POST' || !req.path.startsWith('/v1/chat/completions')) {
      sendError(res, 404, { message: `Unknown route ${req.method} ${req.path}`, type: 'invalid_request_error' });
      return;
    }
    let scripted = queue.shift() ?? fake.handler(req);
    if (scripted.kind === 'json') {
      const text = scripted.text ?? JSON.stringify(scripted.value);
      scripted = { kind: 'completion', content: fragments(text, scripted.fragmentSize ?? 16), ...(scripted.finishReason ? { finishReason: scripted.finishReason } : {}) };
    }
    switch (scripted.kind) {
      case 'error':
        res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        res.end(JSON.stringify(scripted.body ?? { error: { message: `HTTP ${scripted.status}`, type: 'server_error', code: null } }));
        return;
      case 'stall':
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'custom':
        await scripted.respond(req, res);
        return;
      case 'completion':
        if (req.body?.stream === true) await streamCompletion(req, res, scripted);
        else sendCompletion(req, res, scripted);
        return;
    }
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  (fake as { baseURL: string }).baseURL = `http://127.0.0.1:${port}/v1`;
  return fake;
}

function sendError(res: ServerResponse, status: number, error: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { param: null, code: null, ...error } }));
}

let completionCounter = 0;

function defaultUsage(req: RecordedRequest, content: string[], toolCalls: FakeToolCall[]): FakeUsage {
  const prompt = JSON.stringify(req.body?.messages ?? []);
  const output = content.join('') + toolCalls.map((call) => call.name + call.arguments).join('');
  return { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: Math.max(1, Math.ceil(output.length / 4)) };
}

function fragments(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts.length > 0 ? parts : [''];
}

async function streamCompletion(
  req: RecordedRequest,
  res: ServerResponse,
  script: Extract<FakeResponse, { kind: 'completion' }>,
): Promise<void> {
  const id = `chatcmpl-fake${++completionCounter}`;
  const created = Math.floor(Date.now() / 1000);
  const model = req.body?.model ?? 'gpt-4o-mini';
  const includeUsage = req.body?.stream_options?.include_usage === true;
  const content = script.content ?? [];
  const toolCalls = script.toolCalls ?? [];
  const usage = script.usage === undefined ? defaultUsage(req, content, toolCalls) : script.usage;
  const finishReason = script.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', service_tier: 'default' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    `data: ${JSON.stringify({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    })}\n\n`;

  const lines: string[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of content) lines.push(chunk({ content: piece }));
  toolCalls.forEach((call, index) => {
    const callId = call.id ?? `call_fake${completionCounter}_${index}`;
    const parts = fragments(call.arguments, script.fragmentSize ?? 8);
    lines.push(
      chunk({
        tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    for (const part of parts) lines.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
  });
  lines.push(chunk({}, finishReason));
  if (includeUsage && usage !== null) {
    lines.push(
      `data: ${JSON.stringify({
        ...base,
        choices: [],
        usage: {
          ...usage,
          total_tokens: usage.prompt_tokens + usage.completion_tokens,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
      })}\n\n`,
    );
  }
  lines.push('data: [DONE]\n\n');

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': `req_${id}`,
  });
  const delayMs = script.chunkDelayMs ?? 0;
  const stallAt = script.stallAfterChunks === undefined ? undefined : script.stallAfterChunks + 1; // +1: the role chunk
  for (const [index, line] of lines.entries()) {
    if (res.destroyed) return;
    if (stallAt !== undefined && index >= stallAt) return; // keep the response open, send nothing more
    if (delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return;
    }
    res.write(line);
  }
  res.end();
}

function sendCompletion(req: RecordedRequest, res: ServerResponse, script: Extract<FakeResponse, { kind: 'completion' }>): void {
  const content = script.content ?? [];
  const toolCalls = script.toolCalls ?? [];
  const usage = script.usage === undefined || script.usage === null ? defaultUsage(req, content, toolCalls) : script.usage;
  const id = `chatcmpl-fake${++completionCounter}`;
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: content.length > 0 ? content.join('') : null,
    refusal: null,
    annotations: [],
  };
  if (toolCalls.length > 0) {
    message.tool_calls = toolCalls.map((call, index) => ({
      id: call.id ?? `call_fake${completionCounter}_${index}`,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: req.body?.model ?? 'gpt-4o-mini',
      choices: [
        { index: 0, message, logprobs: null, finish_reason: script.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop') },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      system_fingerprint: 'fp_fake',
    }),
  );
}
