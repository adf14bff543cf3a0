// Language and theme: loaded from and saved through the bridge (settings.get/set), applied to the
// document (lang attribute, data-theme for the CSS variables). 'system' follows prefers-color-scheme.
import type { Bridge, Language, Theme } from '../../../../main/bridge/contract.js';
import type { I18n } from '../i18n/i18n.svelte.js';

const THEME_ORDER: readonly Theme[] = ['system', 'light', 'dark'];

export class SettingsStore {
  theme = $state<Theme>('system');
  private systemDark = $state(false);
  readonly dark = $derived(this.theme === 'dark' || (this.theme === 'system' && this.systemDark));

  constructor(
    private readonly bridge: Bridge,
    readonly i18n: I18n,
  ) {
    const mq = matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = mq.matches;
    mq.addEventListener('change', (e) => (this.systemDark = e.matches));
  }

  async load(): Promise<void> {
    const r = await this.bridge.call('settings.get', undefined);
    if (!r.ok) return;
    this.i18n.set(r.value.language);
    this.applyTheme(r.value.theme);
  }

  async setLanguage(language: Language): Promise<void> {
    this.i18n.set(language);
    await this.bridge.call('settings.set', { language });
  }

  async cycleTheme(): Promise<void> {
    const next = THEME_ORDER[(THEME_ORDER.indexOf(this.theme) + 1) % THEME_ORDER.length]!;
    this.applyTheme(next);
    await this.bridge.call('settings.set', { theme: next });
  }

  private applyTheme(theme: Theme): void {
    this.theme = theme;
    if (theme === 'system') delete document.documentElement.dataset['theme'];
    else document.documentElement.dataset['theme'] = theme;
  }
}
