/**
 * Test audio made at run time (nothing large is committed): festival's HTS voice speaks a sentence,
 * sox converts it to 16 kHz PCM16 and pads it with silence. The speech boundaries ("truth") are
 * measured with sox's `silence` effect on the unpadded clip, plus the known padding.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWav, STT_SAMPLE_RATE } from '../../src/providers/voice/audio.js';
import { run } from '../../src/providers/voice/child-process.js';
let counter = 0;
async function durationSec(file) {
    return Number((await run('soxi', ['-D', file])).toString('utf8').trim());
}
export async function speechAudioFactory() {
    const dir = await mkdtemp(join(tmpdir(), 'coachhub-speech-'));
    const toSamples = async (file) => parseWav(await readFile(file)).samples;
    return {
        dir,
        async speak(text, padMs = 500) {
            const id = `clip${++counter}`;
            const txt = join(dir, `${id}.txt`);
            const raw = join(dir, `${id}-tts.wav`);
            const mono = join(dir, `${id}-16k.wav`);
            const trimmedLead = join(dir, `${id}-lead.wav`);
            const trimmedBoth = join(dir, `${id}-both.wav`);
            const padded = join(dir, `${id}.wav`);
            await writeFile(txt, text);
            await run('text2wave', ['-eval', '(voice_cmu_us_slt_arctic_hts)', '-o', raw, txt]);
            await run('sox', [raw, '-r', String(STT_SAMPLE_RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', mono]);
            // Truth: trim leading silence (1 % of full scale for 10 ms), then trailing (via reverse).
            await run('sox', [mono, trimmedLead, 'silence', '1', '0.01', '1%']);
            await run('sox', [trimmedLead, trimmedBoth, 'reverse', 'silence', '1', '0.01', '1%', 'reverse']);
            const total = await durationSec(mono);
            const afterLead = await durationSec(trimmedLead);
            const speech = await durationSec(trimmedBoth);
            await run('sox', [mono, padded, 'pad', String(padMs / 1000), String(padMs / 1000)]);
            const leadMs = (total - afterLead) * 1000;
            return { text, samples: await toSamples(padded), speechStartMs: padMs + leadMs, speechEndMs: padMs + leadMs + speech * 1000 };
        },
        async quiet(ms, noise = false) {
            const file = join(dir, `quiet${++counter}.wav`);
            const args = ['-n', '-r', String(STT_SAMPLE_RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', file, 'synth', String(ms / 1000)];
            await run('sox', noise ? [...args, 'whitenoise', 'vol', '0.02'] : [...args, 'sine', '0', 'vol', '0']);
            return toSamples(file);
        },
        cleanup: () => rm(dir, { recursive: true, force: true }),
    };
}
//# sourceMappingURL=speech-audio.js.map