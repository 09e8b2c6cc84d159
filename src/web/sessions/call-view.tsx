import { Circle, Mic, MicOff, MonitorUp, PhoneOff, Video, VideoOff } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, buttonClass } from '../components/button.js';
import { controlClass } from '../components/field.js';
import { useT } from '../i18n/i18n-provider.js';
import { BuiltinCall, type CallStats, type CallStatus, type ChatLine } from './builtin-call.js';
import { SessionRecorder } from './session-recorder.js';
import type { VideoToken } from './types.js';

/** Toggle buttons (mute, camera…): dark while pressed. */
const toggleClass = buttonClass('secondary', 'md', 'px-3 aria-pressed:bg-slate-800 aria-pressed:text-white');

/** The built-in call: remote + local video, mute, camera, screenshare, chat, quality, leave. */
export function CallView({ reservationId, token, stream, name, onLeave }: { reservationId: string; token: VideoToken; stream: MediaStream; name: string; onLeave(): void }) {
  const t = useT();
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const localVideo = useRef<HTMLVideoElement>(null);
  const call = useRef<BuiltinCall | null>(null);
  const [status, setStatus] = useState<CallStatus>('connecting');
  const [peer, setPeer] = useState<string | null>(null);
  const [chat, setChat] = useState<ChatLine[]>([]);
  const [stats, setStats] = useState<CallStats>({ quality: 'unknown', rttMs: null, audioBytesReceived: 0, videoBytesReceived: 0 });
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [draft, setDraft] = useState('');
  const remote = useRef<MediaStream | null>(null);
  const recorder = useRef(new SessionRecorder());
  const [recording, setRecording] = useState<'idle' | 'recording' | 'uploading' | 'saved' | 'failed'>('idle');

  const toggleRecording = async () => {
    if (recording !== 'recording') {
      recorder.current.start(stream, remote.current);
      setRecording('recording');
      return;
    }
    setRecording('uploading');
    await recorder.current.stopAndUpload(reservationId).then(() => setRecording('saved'), () => setRecording('failed'));
  };

  useEffect(() => {
    const c = new BuiltinCall(reservationId, token, stream, name, {
      status: setStatus,
      remoteStream: (s) => {
        remote.current = s;
        if (remoteVideo.current) remoteVideo.current.srcObject = s;
      },
      peerName: setPeer,
      chat: (line) => setChat((lines) => [...lines, line]),
      stats: setStats,
    });
    call.current = c;
    c.start();
    return () => {
      c.stop();
      stream.getTracks().forEach((tr) => tr.stop());
    };
    // The call lives as long as the view; the token is refreshed inside the call.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (localVideo.current) localVideo.current.srcObject = stream;
  }, [stream]);

  const over = status === 'ended' || status === 'full' || status === 'replaced' || status === 'failed';
  const sendChat = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.trim()) return;
    call.current?.sendChat(draft.trim());
    setDraft('');
  };

  return (
    <div className="flex flex-col gap-3">
      <p role="status" data-status={status} className="font-semibold text-slate-800">
        {t(`call.status.${status}`, { name: peer ?? '' })}
      </p>
      {over ? (
        <Button className="self-start" onClick={onLeave}>{t('call.close')}</Button>
      ) : (
        <>
          <div className="relative">
            <video ref={remoteVideo} autoPlay playsInline aria-label={t('call.remoteVideo')} className="aspect-video w-full rounded-lg bg-slate-900 object-cover" />
            <video ref={localVideo} autoPlay muted playsInline aria-label={t('call.localVideo')} className="absolute bottom-2 right-2 w-1/4 rounded border-2 border-white bg-slate-800" />
          </div>
          <p className="text-sm text-slate-700" data-testid="call-stats" data-audio-bytes={stats.audioBytesReceived} data-video-bytes={stats.videoBytesReceived} data-quality={stats.quality}>
            {t('call.quality', { quality: t(`call.quality.${stats.quality}`) })}
            {stats.rttMs !== null && ` · ${stats.rttMs} ms`}
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" aria-pressed={muted} className={toggleClass} onClick={() => { call.current?.setMuted(!muted); setMuted(!muted); }}>
              {muted ? <MicOff aria-hidden="true" className="size-4" /> : <Mic aria-hidden="true" className="size-4" />} {t('call.mute')}
            </button>
            <button type="button" aria-pressed={cameraOff} className={toggleClass} onClick={() => { call.current?.setCameraOff(!cameraOff); setCameraOff(!cameraOff); }}>
              {cameraOff ? <VideoOff aria-hidden="true" className="size-4" /> : <Video aria-hidden="true" className="size-4" />} {t('call.cameraOff')}
            </button>
            {token.provider === 'builtin' && (
              <button type="button" aria-pressed={sharing} className={toggleClass} onClick={() => void call.current?.toggleScreenshare().then(setSharing, () => setSharing(false))}>
                <MonitorUp aria-hidden="true" className="size-4" /> {t('call.screenshare')}
              </button>
            )}
            {token.userRole === 'coach' && (
              <button type="button" aria-pressed={recording === 'recording'} disabled={recording === 'uploading'} className={toggleClass} onClick={() => void toggleRecording()}>
                <Circle aria-hidden="true" className="size-4 text-red-700" /> {t(recording === 'recording' ? 'call.stopRecording' : 'call.record')}
              </button>
            )}
            <Button variant="danger" onClick={onLeave} icon={<PhoneOff aria-hidden="true" className="size-4" />}>
              {t('call.leave')}
            </Button>
          </div>
          {recording !== 'idle' && recording !== 'recording' && <p role="status" className="text-sm text-slate-700">{t(`call.recording.${recording}`)}</p>}
          <section aria-labelledby="chat-title" className="flex flex-col gap-2 rounded-lg border border-slate-300 p-3">
            <h3 id="chat-title" className="font-semibold">{t('call.chat')}</h3>
            <ul aria-live="polite" className="flex max-h-40 flex-col gap-1 overflow-y-auto text-sm">
              {chat.map((line, i) => (
                <li key={i}><span className="font-semibold">{line.mine ? t('call.me') : line.name}</span> : {line.text}</li>
              ))}
            </ul>
            <form onSubmit={sendChat} className="flex gap-2">
              <label className="sr-only" htmlFor="chat-input">{t('call.chatMessage')}</label>
              <input id="chat-input" value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={2000} className={controlClass(false, 'flex-1')} />
              <Button type="submit">{t('call.send')}</Button>
            </form>
          </section>
        </>
      )}
    </div>
  );
}
