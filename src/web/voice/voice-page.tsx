import { Mic, MicOff, PhoneOff, Play, Send, Square } from 'lucide-react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { VOICE_IDS, type VoiceId } from '../../shared/voices.js';
import { Alert } from '../components/alert.js';
import { Button } from '../components/button.js';
import { cardClass, PageHeader } from '../components/card.js';
import { controlClass, SelectField } from '../components/field.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { useVoiceClient } from './use-voice-client.js';
import type { VoiceState } from './voice-events.js';

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
  const ids = { textOnly: useId(), text: useId(), transcript: useId() };
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
      <PageHeader title={t('voice.title')} intro={t('voice.intro')} />

      <div className={cardClass('flex flex-wrap items-end gap-4 p-5 shadow-sm')}>
        <SelectField label={t('voice.voiceLabel')} value={voice} disabled={active} onChange={(e) => setVoice(e.target.value as VoiceId)} className="capitalize">
          {VOICE_IDS.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </SelectField>
        <label htmlFor={ids.textOnly} className="flex items-center gap-2 py-2 text-slate-800">
          <input id={ids.textOnly} type="checkbox" checked={textOnly} disabled={active} onChange={(e) => setTextOnly(e.target.checked)} className="size-4" />
          {t('voice.textOnly')}
        </label>
        <div className="ml-auto flex flex-wrap gap-2">
          {!active ? (
            <Button onClick={begin} icon={<Play aria-hidden="true" className="size-4" />}>
              {view.state === 'idle' ? t('voice.start') : t('voice.retry')}
            </Button>
          ) : (
            <>
              {!textMode && (
                <Button variant="secondary" onClick={() => setMuted(!view.muted)} icon={view.muted ? <MicOff aria-hidden="true" className="size-4" /> : <Mic aria-hidden="true" className="size-4" />}>
                  {view.muted ? t('voice.unmute') : t('voice.mute')}
                </Button>
              )}
              <Button variant="secondary" onClick={cancelReply} disabled={view.state !== 'speaking'} icon={<Square aria-hidden="true" className="size-4" />}>
                {t('voice.stopReply')}
              </Button>
              <Button variant="danger" onClick={hangUp} icon={<PhoneOff aria-hidden="true" className="size-4" />}>
                {t('voice.hangUp')}
              </Button>
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
        <Alert role="alert" data-error-code={view.error.code}>
          {t(`voice.error.${view.error.code}`)}
        </Alert>
      )}
      {view.input?.reason && active && <Alert tone="warning">{t(`voice.fallback.${view.input.reason}`)}</Alert>}

      <section aria-labelledby={ids.transcript} className={cardClass('flex flex-col gap-3 p-5 shadow-sm')}>
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
            className={controlClass(false, 'flex-1')}
          />
          <Button type="submit" icon={<Send aria-hidden="true" className="size-4" />}>
            {t('voice.send')}
          </Button>
        </form>
      )}
      <audio ref={audioRef} autoPlay hidden />
    </div>
  );
}
