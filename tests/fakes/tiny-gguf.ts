/**
 * Writes a tiny, valid GGUF (v3) model file for tests: llama architecture, 1–2 layers, small
 * dimensions, random F32 weights (seeded, so the same options give the same bytes) and a small
 * SentencePiece ("llama") vocabulary with the three special tokens, all 256 byte-fallback tokens
 * and a handful of word pieces. llama.cpp loads it like any real model; what it generates is
 * gibberish, which is all a test of the plumbing needs.
 *
 * Format reference: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TinyGgufOptions {
  /** Directory to write into; a fresh temp dir when omitted. */
  dir?: string;
  fileName?: string;
  layers?: 1 | 2;
  embeddingLength?: number;
  headCount?: number;
  feedForwardLength?: number;
  contextLength?: number;
  seed?: number;
}

export interface TinyGguf {
  path: string;
  dir: string;
  vocabSize: number;
  bytes: number;
}

const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

const GGML_TYPE_F32 = 0;
const ALIGNMENT = 32;

/** SentencePiece token types as llama.cpp reads them from `tokenizer.ggml.token_type`. */
const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;

const WORDS = [
  'the', 'a', 'to', 'you', 'I', 'is', 'and', 'of', 'in', 'it', 'that', 'for', 'on', 'with', 'coach',
  'hello', 'good', 'yes', 'no', 'what', 'how', 'we', 'can', 'do', 'be', 'this', 'your', 'my', 'le',
  'la', 'de', 'et', 'je', 'vous', 'bonjour', 'merci', 'oui', 'non',
];

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;
  private push(buf: Buffer): void {
    this.chunks.push(buf);
    this.length += buf.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  raw(buf: Buffer): void {
    this.push(buf);
  }
  padTo(alignment: number): void {
    const rest = this.length % alignment;
    if (rest !== 0) this.push(Buffer.alloc(alignment - rest));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type MetaValue =
  | { type: ValueType.UINT32 | ValueType.INT32 | ValueType.FLOAT32; value: number }
  | { type: ValueType.BOOL; value: boolean }
  | { type: ValueType.STRING; value: string }
  | { type: ValueType.ARRAY; itemType: ValueType.STRING; value: string[] }
  | { type: ValueType.ARRAY; itemType: ValueType.FLOAT32 | ValueType.INT32; value: number[] };

function writeScalar(w: ByteWriter, type: ValueType, value: number | boolean | string): void {
  switch (type) {
    case ValueType.UINT32: w.u32(value as number); break;
    case ValueType.INT32: w.i32(value as number); break;
    case ValueType.FLOAT32: w.f32(value as number); break;
    case ValueType.BOOL: w.raw(Buffer.from([value ? 1 : 0])); break;
    case ValueType.STRING: w.string(value as string); break;
    default: throw new Error(`unsupported scalar type ${type}`);
  }
}

/** mulberry32: a tiny seeded PRNG so fixtures are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tinyVocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL];
  const scores: number[] = [0, 0, 0];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_BYTE);
    scores.push(0);
  }
  const pieces = ['▁', ...'abcdefghijklmnopqrstuvwxyz'.split(''), ...WORDS.map((word) => `▁${word}`)];
  pieces.forEach((piece, i) => {
    tokens.push(piece);
    types.push(TOKEN_NORMAL);
    // Longer pieces score higher so the SPM merger prefers whole words.
    scores.push(-1000 + piece.length * 10 - i * 0.001);
  });
  return { tokens, scores, types };
}

export async function writeTinyGguf(options: TinyGgufOptions = {}): Promise<TinyGguf> {
  const layers = options.layers ?? 1;
  const nEmbd = options.embeddingLength ?? 64;
  const nHead = options.headCount ?? 4;
  const nFf = options.feedForwardLength ?? 128;
  const nCtx = options.contextLength ?? 2048;
  if (nEmbd % nHead !== 0) throw new Error('embeddingLength must be a multiple of headCount');
  const random = prng(options.seed ?? 42);
  const vocab = tinyVocabulary();
  const nVocab = vocab.tokens.length;

  const metadata: Array<[string, MetaValue]> = [
    ['general.architecture', { type: ValueType.STRING, value: 'llama' }],
    ['general.name', { type: ValueType.STRING, value: 'coach-hub-tiny-test' }],
    ['general.alignment', { type: ValueType.UINT32, value: ALIGNMENT }],
    ['llama.context_length', { type: ValueType.UINT32, value: nCtx }],
    ['llama.embedding_length', { type: ValueType.UINT32, value: nEmbd }],
    ['llama.block_count', { type: ValueType.UINT32, value: layers }],
    ['llama.feed_forward_length', { type: ValueType.UINT32, value: nFf }],
    ['llama.attention.head_count', { type: ValueType.UINT32, value: nHead }],
    ['llama.attention.head_count_kv', { type: ValueType.UINT32, value: nHead }],
    ['llama.attention.layer_norm_rms_epsilon', { type: ValueType.FLOAT32, value: 1e-5 }],
    ['llama.rope.dimension_count', { type: ValueType.UINT32, value: nEmbd / nHead }],
    ['llama.vocab_size', { type: ValueType.UINT32, value: nVocab }],
    ['tokenizer.ggml.model', { type: ValueType.STRING, value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: ValueType.ARRAY, itemType: ValueType.STRING, value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: ValueType.ARRAY, itemType: ValueType.FLOAT32, value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: ValueType.ARRAY, itemType: ValueType.INT32, value: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', { type: ValueType.UINT32, value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: ValueType.UINT32, value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: ValueType.UINT32, value: 2 }],
    ['tokenizer.ggml.add_bos_token', { type: ValueType.BOOL, value: true }],
    ['tokenizer.ggml.add_eos_token', { type: ValueType.BOOL, value: false }],
  ];

  // Tensor shapes use ggml order: ne[0] is the innermost (input) dimension.
  const tensors: Array<{ name: string; dims: number[]; init: 'ones' | 'random' }> = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab], init: 'random' },
    { name: 'output_norm.weight', dims: [nEmbd], init: 'ones' },
    { name: 'output.weight', dims: [nEmbd, nVocab], init: 'random' },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const blk = `blk.${layer}`;
    tensors.push(
      { name: `${blk}.attn_norm.weight`, dims: [nEmbd], init: 'ones' },
      { name: `${blk}.attn_q.weight`, dims: [nEmbd, nEmbd], init: 'random' },
      { name: `${blk}.attn_k.weight`, dims: [nEmbd, nEmbd], init: 'random' },
      { name: `${blk}.attn_v.weight`, dims: [nEmbd, nEmbd], init: 'random' },
      { name: `${blk}.attn_output.weight`, dims: [nEmbd, nEmbd], init: 'random' },
      { name: `${blk}.ffn_norm.weight`, dims: [nEmbd], init: 'ones' },
      { name: `${blk}.ffn_gate.weight`, dims: [nEmbd, nFf], init: 'random' },
      { name: `${blk}.ffn_up.weight`, dims: [nEmbd, nFf], init: 'random' },
      { name: `${blk}.ffn_down.weight`, dims: [nFf, nEmbd], init: 'random' },
    );
  }

  const w = new ByteWriter();
  w.raw(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, meta] of metadata) {
    w.string(key);
    w.u32(meta.type);
    if (meta.type === ValueType.ARRAY) {
      w.u32(meta.itemType);
      w.u64(meta.value.length);
      for (const item of meta.value) writeScalar(w, meta.itemType, item);
    } else {
      writeScalar(w, meta.type, meta.value);
    }
  }

  let offset = 0;
  const data: Buffer[] = [];
  for (const tensor of tensors) {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    w.string(tensor.name);
    w.u32(tensor.dims.length);
    for (const dim of tensor.dims) w.u64(dim);
    w.u32(GGML_TYPE_F32);
    w.u64(offset);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = tensor.init === 'ones' ? 1 : (random() * 2 - 1) * 0.5;
    const bytes = Buffer.from(values.buffer);
    const padded = Math.ceil(bytes.length / ALIGNMENT) * ALIGNMENT;
    data.push(bytes, Buffer.alloc(padded - bytes.length));
    offset += padded;
  }
  w.padTo(ALIGNMENT);
  for (const chunk of data) w.raw(chunk);

  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'coach-hub-gguf-')));
  const filePath = path.join(dir, options.fileName ?? 'tiny-llama.gguf');
  const buffer = w.toBuffer();
  await writeFile(filePath, buffer);
  return { path: filePath, dir, vocabSize: nVocab, bytes: buffer.length };
}
