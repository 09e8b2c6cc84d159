/**
 * The Python program of a streaming pocketsphinx worker, run as `/usr/bin/python3 -c <program>
 * <options JSON>`. Kept here as a string so it ships with the compiled server (tsc copies no .py
 * files). It uses Debian's python3-pocketsphinx: a SWIG binding over the same libpocketsphinx
 * (0.8+5prealpha) and the same en-us models as the pocketsphinx_batch CLI.
 *
 * Wire format (both ways over the child's stdio socketpairs):
 *   Node → Python, stdin: frames `<kind: 1 ASCII byte><length: uint32 LE><payload>`
 *     S  start an utterance   payload: JSON {"id": "...", "partials": bool}
 *     A  audio                payload: PCM16 little-endian mono 16 kHz
 *     E  end of utterance     payload: empty → answers {"type":"final"}
 *     H  hypothesis           payload: empty → {"type":"hypothesis"}: what E would give now, the
 *                             utterance going on (a forked copy of the process ends it and answers)
 *     C  cancel               payload: empty → no answer; the decoder is free again
 *   Python → Node, stdout: one JSON object per line, flushed at once
 *     {"type":"ready"}                                   models loaded
 *     {"type":"partial","id","text"}                     best guess so far (when it changes)
 *     {"type":"hypothesis","id","text","final"}         answer to H (final: what E would give)
 *     {"type":"final","id","text","decodeMs","audioMs"}  decodeMs: time spent in end_utt()
 *     {"type":"error","id","message"}                    the utterance failed; the worker goes on
 * Frames are handled strictly in order, so a worker is free for the next S as soon as E or C is
 * sent. Python exits when stdin closes. Lines are written with one os.write each (atomic on a
 * pipe), so the forked copies and the worker never interleave.
 */
export const POCKETSPHINX_WORKER_PROGRAM = String.raw`
import json, os, signal, struct, sys, time
from pocketsphinx.pocketsphinx import Decoder

# Partials are looked up at most this often (in audio ms): hyp() walks the backpointer table.
PARTIAL_EVERY_MS = 200


def read_exactly(stream, size):
    """size bytes from stdin, or None at end of input (Node closed the pipe or died)."""
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b''.join(chunks)


def send(message):
    os.write(1, (json.dumps(message) + '\n').encode())


def final_guess(decoder, current):
    """Answers H: a fork (copy-on-write, ~10 ms) ends the utterance and reports what end_utt()
    gives, lattice rescoring included; this process goes on decoding."""
    try:
        pid = os.fork()
    except OSError:  # no fork (memory): the running guess, which end_utt() may still change
        send({'type': 'hypothesis', 'id': current, 'text': hypothesis(decoder), 'final': False})
        return
    if pid == 0:
        try:
            decoder.end_utt()
            send({'type': 'hypothesis', 'id': current, 'text': hypothesis(decoder), 'final': True})
        finally:
            os._exit(0)


def hypothesis(decoder):
    hyp = decoder.hyp()
    return hyp.hypstr.strip() if hyp is not None and hyp.hypstr else ''


def main():
    options = json.loads(sys.argv[1])
    config = Decoder.default_config()
    config.set_string('-hmm', options['hmm'])
    config.set_string('-lm', options['lm'])
    config.set_string('-dict', options['dict'])
    config.set_string('-logfn', '/dev/null')
    # A second, slower pass over the whole utterance at end_utt() (set_string segfaults here).
    config.set_boolean('-fwdflat', bool(options['fwdflat']))
    # Lattice rescoring at end_utt(): can change words the streaming guesses already had.
    config.set_boolean('-bestpath', bool(options['bestpath']))
    decoder = Decoder(config)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked guesses are reaped by the kernel
    send({'type': 'ready'})

    stdin = sys.stdin.buffer
    current = None        # id of the utterance being decoded
    partials = False
    audio_ms = 0.0
    next_partial_ms = 0.0
    last_partial = ''
    while True:
        header = read_exactly(stdin, 5)
        if header is None:
            return
        kind = header[:1]
        (length,) = struct.unpack('<I', header[1:])
        payload = read_exactly(stdin, length) if length else b''
        if payload is None:
            return
        try:
            if kind == b'S':
                if current is not None:
                    decoder.end_utt()  # a start without end: drop the previous one
                start = json.loads(payload)
                current, partials = start['id'], bool(start.get('partials'))
                audio_ms, next_partial_ms, last_partial = 0.0, PARTIAL_EVERY_MS, ''
                decoder.start_utt()
            elif kind == b'A' and current is not None:
                decoder.process_raw(payload, False, False)
                audio_ms += len(payload) / 32.0
                if partials and audio_ms >= next_partial_ms:
                    next_partial_ms = audio_ms + PARTIAL_EVERY_MS
                    text = hypothesis(decoder)
                    if text != last_partial:
                        last_partial = text
                        send({'type': 'partial', 'id': current, 'text': text})
            elif kind == b'H' and current is not None:
                final_guess(decoder, current)
            elif kind == b'E' and current is not None:
                began = time.perf_counter()
                decoder.end_utt()
                decode_ms = (time.perf_counter() - began) * 1000
                send({'type': 'final', 'id': current, 'text': hypothesis(decoder), 'decodeMs': round(decode_ms, 1), 'audioMs': round(audio_ms)})
                current = None
            elif kind == b'C' and current is not None:
                decoder.end_utt()
                current = None
        except Exception as error:  # one utterance failed: report it, keep the process (and its models)
            failed, current = current, None
            send({'type': 'error', 'id': failed, 'message': str(error)[:300]})
            try:
                decoder.end_utt()
            except Exception:
                pass


main()
`;
