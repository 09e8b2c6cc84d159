import { ConfigError, type Config } from '../../config/config.js';
import { createBuiltinVideoProvider } from './builtin-provider.js';
import { createDailyVideoProvider } from './daily-provider.js';
import type { VideoProvider } from './types.js';

/** VIDEO_PROVIDER=auto picks Daily when DAILY_API_KEY is set, else the built-in rooms. */
export function createVideoProvider(config: Config): VideoProvider {
  const choice = config.VIDEO_PROVIDER === 'auto' ? (config.DAILY_API_KEY ? 'daily' : 'builtin') : config.VIDEO_PROVIDER;
  if (choice === 'daily') {
    if (!config.DAILY_API_KEY) throw new ConfigError([{ variable: 'DAILY_API_KEY', message: 'is required when VIDEO_PROVIDER=daily' }]);
    return createDailyVideoProvider({ apiKey: config.DAILY_API_KEY, apiUrl: config.DAILY_API_URL });
  }
  return createBuiltinVideoProvider({ authSecret: config.AUTH_SECRET, publicUrl: config.PUBLIC_URL, iceServers: config.ICE_SERVERS });
}
