// API errors in words a staff member understands and can act on. The server's own
// messages are for developers (English, technical); these say what happened and what to do.

import { t } from './i18n.js';

// context: 'list' | 'view' | 'take' | 'reply' | 'release' | 'close'; platform: of the
// conversation, when known (the window rules differ).
export function describeError(error, context, platform = '') {
  const status = error && typeof error.status === 'number' ? error.status : -1;
  switch (status) {
    case 0: return t('err_network');
    case 401: return t('err_401');
    case 403: return context === 'list' ? t('err_403_station') : t('err_403_conversation');
    case 404: return t('err_404');
    case 409:
      if (context === 'reply' && error.body && 'last_message_at' in error.body) {
        return platform === 'whatsapp' ? t('err_409_window_whatsapp') : t('err_409_window_meta');
      }
      return t('err_409_closed');
    case 400: return context === 'reply' ? t('err_400_reply') : t('err_other', { status });
    case 500: case 502: case 503: case 504: return t('err_500');
    default: return t('err_other', { status: status > 0 ? status : '?' });
  }
}
