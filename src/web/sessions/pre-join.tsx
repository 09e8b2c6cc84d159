import { useEffect, useRef, useState } from 'react';
import { Alert } from '../components/alert.js';
import { Button } from '../components/button.js';
import { SelectField, TextField } from '../components/field.js';
import { useT } from '../i18n/i18n-provider.js';

export interface PreJoinChoice {
  stream: MediaStream;
  name: string;
}

/** Camera/microphone preview, device choice and display name, before entering the call. */
export function PreJoin({ defaultName, onJoin, onCancel }: { defaultName: string; onJoin(choice: PreJoinChoice): void; onCancel(): void }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [cameraId, setCameraId] = useState('');
  const [micId, setMicId] = useState('');
  const [name, setName] = useState(defaultName);
  const [error, setError] = useState<string | null>(null);
  const handedOver = useRef<MediaStream | null>(null);

  useEffect(() => {
    let cancelled = false;
    let current: MediaStream | null = null;
    const constraints: MediaStreamConstraints = {
      video: cameraId ? { deviceId: { exact: cameraId } } : true,
      audio: micId ? { deviceId: { exact: micId } } : true,
    };
    navigator.mediaDevices
      .getUserMedia(constraints)
      .then(async (s) => {
        if (cancelled) return s.getTracks().forEach((tr) => tr.stop());
        current = s;
        setStream(s);
        setError(null);
        setDevices(await navigator.mediaDevices.enumerateDevices());
      })
      .catch(() => setError(t('call.noDevices')));
    return () => {
      cancelled = true;
      // The stream is handed to the call on join; only a preview that was replaced is stopped here.
      if (current && current !== handedOver.current) current.getTracks().forEach((tr) => tr.stop());
    };
  }, [cameraId, micId, t]);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);

  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const mics = devices.filter((d) => d.kind === 'audioinput');
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!stream) return;
        handedOver.current = stream;
        onJoin({ stream, name: name.trim() || defaultName });
      }}
    >
      <h3 className="text-lg font-semibold">{t('call.prejoinTitle')}</h3>
      <video ref={video} autoPlay muted playsInline aria-label={t('call.preview')} className="aspect-video w-full rounded-lg bg-slate-900 object-cover" />
      {error && (
        <div role="alert">
          <Alert>{error}</Alert>
        </div>
      )}
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField label={t('call.camera')} value={cameraId} onChange={(e) => setCameraId(e.target.value)}>
          <option value="">{t('call.defaultDevice')}</option>
          {cameras.map((d, i) => <option key={d.deviceId || i} value={d.deviceId}>{d.label || `${t('call.camera')} ${i + 1}`}</option>)}
        </SelectField>
        <SelectField label={t('call.microphone')} value={micId} onChange={(e) => setMicId(e.target.value)}>
          <option value="">{t('call.defaultDevice')}</option>
          {mics.map((d, i) => <option key={d.deviceId || i} value={d.deviceId}>{d.label || `${t('call.microphone')} ${i + 1}`}</option>)}
        </SelectField>
        <TextField label={t('call.displayName')} value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
      </div>
      <div className="flex gap-3">
        <Button type="submit" disabled={!stream}>
          {t('call.join')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('call.cancel')}
        </Button>
      </div>
    </form>
  );
}
