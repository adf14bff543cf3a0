// The current language as reactive state: templates call i18n.t(...), which reads `lang`, so
// switching language re-renders every string without any per-string subscription.
import type { Language } from '../../../../main/bridge/contract.js';
import { format, type MessageKey, type Params } from './format.js';

export class I18n {
  lang = $state<Language>('en');

  t = (key: MessageKey, params?: Params): string => format(this.lang, key, params);

  set(lang: Language): void {
    this.lang = lang;
    document.documentElement.lang = lang;
  }
}
