import { Mic, MicOff, PhoneOff, Play, Send, Square } from 'lucide-react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { VOICE_IDS, type VoiceId } from '../../shared/voices.js';
import { useVoiceClient } from '../voice/use-voice-client.js';
import type { VoiceState } from '../voice/voice-events.js';

const ACTIVE: VoiceState[] = ['connecting', 'listening', 'userSpeaking', 'thinking', 'speaking', 'reconnecting'];

const STATE_STYLE: Record<VoiceState, string> = {
  idle: 'bg-slate-100 text-slate-800',
  connecting: 'bg-amber-100 text-amber-900',
  listening: 'bg-emerald-100 text-emerald-900',
  userSpeaking: 'bg-sky-100 text-sky-900',
  thinking: 'bg-violet-100 text-violet-900',
  speaking: 'bg-indigo-100 text-indigo-900',
  reconnecting: 'bg-amber-100 text-amber-900',
  ended: 'bg-slate-100 text-slate-800',
  failed: 'bg-red-100 text-red-900',
};

/** /voice: talk with the AI coach (or type), live transcript, voice choice, mute, hang up. */
export function VoicePage() {
  const t = useT();
  usePageTitle(t('voice.title'));
  const [voice, setVoice] = useState<VoiceId>('alloy');
  const [textOnly, setTextOnly] = useState(false);
  const [draft, setDraft] = useState('');
  const audioRef = useRef<HTMLAudioElement>(null);
  const ids = { voice: useId(), textOnly: useId(), text: useId(), transcript: useId() };
  const { view, start, hangUp, sendText, cancelReply, setMuted } = useVoiceClient();
  const begin = () =>
    start({ kind: 'coach', title: t('voice.title'), session: { voice }, textOnly, ...(audioRef.current ? { audioElement: audioRef.current } : {}) });
  const active = ACTIVE.includes(view.state);
  const textMode = view.input?.mode === 'text';
  const transcriptEnd = useRef<HTMLLIElement>(null);
  useEffect(() => {
    transcriptEnd.current?.scrollIntoView({ block: 'nearest' });
  }, [view.transcript]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    sendText(draft);
    setDraft('');
  };

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="voice-title" className="flex flex-col gap-2">
        <h1 id="voice-title" className="text-3xl font-bold text-slate-900">
          {t('voice.title')}
        </h1>
        <p className="max-w-3xl text-lg text-slate-700">{t('voice.intro')}</p>
      </section>

      <div className="flex flex-wrap items-end gap-4 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.voice} className="font-semibold text-slate-800">
            {t('voice.voiceLabel')}
          </label>
          <select
            id={ids.voice}
            value={voice}
            disabled={active}
            onChange={(e) => setVoice(e.target.value as VoiceId)}
            className="rounded-lg border border-slate-300 px-3 py-2 capitalize"
          >
            {VOICE_IDS.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <label htmlFor={ids.textOnly} className="flex items-center gap-2 py-2 text-slate-800">
          <input id={ids.textOnly} type="checkbox" checked={textOnly} disabled={active} onChange={(e) => setTextOnly(e.target.checked)} className="size-4" />
          {t('voice.textOnly')}
        </label>
        <div className="ml-auto flex flex-wrap gap-2">
          {!active ? (
            <button type="button" onClick={begin} className="inline-flex items-center gap-2 rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800">
              <Play aria-hidden="true" className="size-4" />
              {view.state === 'idle' ? t('voice.start') : t('voice.retry')}
            </button>
          ) : (
            <>
              {!textMode && (
                <button
                  type="button"
                  onClick={() => setMuted(!view.muted)}
                  className="inline-flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50"
                >
                  {view.muted ? <MicOff aria-hidden="true" className="size-4" /> : <Mic aria-hidden="true" className="size-4" />}
                  {view.muted ? t('voice.unmute') : t('voice.mute')}
                </button>
              )}
              <button
                type="button"
                onClick={cancelReply}
                disabled={view.state !== 'speaking'}
                className="inline-flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50 disabled:opacity-50"
              >
                <Square aria-hidden="true" className="size-4" />
                {t('voice.stopReply')}
              </button>
              <button type="button" onClick={hangUp} className="inline-flex items-center gap-2 rounded-lg bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-800">
                <PhoneOff aria-hidden="true" className="size-4" />
                {t('voice.hangUp')}
              </button>
            </>
          )}
        </div>
      </div>

      <p role="status" className="flex items-center gap-2 text-slate-800">
        <span>{t('voice.stateLabel')}</span>
        <span data-testid="voice-state" data-state={view.state} className={`rounded-full px-3 py-1 text-sm font-semibold ${STATE_STYLE[view.state]}`}>
          {t(`voice.state.${view.state}`)}
        </span>
      </p>

      {view.error && (
        <p role="alert" data-error-code={view.error.code} className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-red-900">
          {t(`voice.error.${view.error.code}`)}
        </p>
      )}
      {view.input?.reason && active && <p className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">{t(`voice.fallback.${view.input.reason}`)}</p>}

      <section aria-labelledby={ids.transcript} className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id={ids.transcript} className="text-xl font-semibold text-slate-900">
          {t('voice.transcript')}
        </h2>
        <ol aria-live="polite" aria-relevant="additions text" data-testid="voice-transcript" className="flex max-h-96 flex-col gap-2 overflow-y-auto">
          {view.transcript.length === 0 && <li className="text-slate-600">{t('voice.transcriptEmpty')}</li>}
          {view.transcript.map((entry) => (
            <li
              key={`${entry.role}-${entry.itemId}`}
              data-role={entry.role}
              data-final={entry.final}
              className={`max-w-[80%] rounded-xl px-4 py-2 ${entry.role === 'user' ? 'self-end bg-indigo-700 text-white' : 'self-start bg-slate-100 text-slate-900'}`}
            >
              <span className="block text-xs font-semibold opacity-80">{entry.role === 'user' ? t('voice.you') : t('voice.coach')}</span>
              <span data-testid="voice-text">{entry.text}</span>
            </li>
          ))}
          <li ref={transcriptEnd} aria-hidden="true" />
        </ol>
      </section>

      {textMode && active && (
        <form onSubmit={submit} className="flex gap-2">
          <label htmlFor={ids.text} className="sr-only">
            {t('voice.textLabel')}
          </label>
          <input
            id={ids.text}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t('voice.textLabel')}
            autoComplete="off"
            className="flex-1 rounded-lg border border-slate-300 px-3 py-2"
          />
          <button type="submit" className="inline-flex items-center gap-2 rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800">
            <Send aria-hidden="true" className="size-4" />
            {t('voice.send')}
          </button>
        </form>
      )}
      <audio ref={audioRef} autoPlay hidden />
    </div>
  );
}
