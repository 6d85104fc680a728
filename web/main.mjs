// main.mjs -- the playground page: a <pymem-lab persist> filling the window, with the
// header's language switch, theme switch, share button and the core's version.
// Bundled by web/build.mjs into build/web/main.js (index.html loads it).
import './elements/pymem-lab.js';
import { LANGUAGES, t, getLanguage, setLanguage, onLanguageChange } from './i18n.js';
import { h } from './lib/dom.js';
import { EVENTS } from './events.js';

const THEME_KEY = 'pymemlab:theme';
const lab = document.querySelector('pymem-lab');
const langSelect = document.getElementById('lang');
const themeButton = document.getElementById('theme');
const shareButton = document.getElementById('share');
const shareNote = document.getElementById('share-note');
const versionTag = document.getElementById('version');

function savedTheme() {
  try { return localStorage.getItem(THEME_KEY); } catch { return null; }
}

function currentTheme() {
  return savedTheme() ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  lab.setAttribute('theme', theme);
  themeButton.setAttribute('aria-pressed', String(theme === 'dark'));
  themeButton.textContent = theme === 'dark' ? '☾' : '☀';
  themeButton.title = theme === 'dark' ? t('app.themeDark') : t('app.themeLight');
  themeButton.setAttribute('aria-label', `${t('app.theme')}: ${themeButton.title}`);
}

function translatePage() {
  document.documentElement.lang = getLanguage() === 'zh' ? 'zh-Hans' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  langSelect.setAttribute('aria-label', t('app.language'));
  shareButton.textContent = t('app.share');
  if (lab.version) versionTag.textContent = t('app.version', { version: lab.version });
  applyTheme(currentTheme());
}

langSelect.replaceChildren(...Object.entries(LANGUAGES).map(([code, name]) => h('option', { value: code }, name)));
langSelect.value = getLanguage();
langSelect.addEventListener('change', () => setLanguage(langSelect.value));
onLanguageChange(() => { langSelect.value = getLanguage(); translatePage(); });

themeButton.addEventListener('click', () => {
  const next = currentTheme() === 'dark' ? 'light' : 'dark';
  try { localStorage.setItem(THEME_KEY, next); } catch { /* ignore */ }
  applyTheme(next);
});
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(currentTheme()));

shareButton.addEventListener('click', async () => {
  const url = await lab.permalink();
  history.replaceState(history.state, '', url);
  try {
    await navigator.clipboard.writeText(url);
    shareNote.textContent = t('app.shareDone');
  } catch {
    shareNote.textContent = t('app.shareFailed');
  }
  setTimeout(() => { shareNote.textContent = ''; }, 2500);
});

lab.addEventListener(EVENTS.READY, () => {
  if (lab.version) versionTag.textContent = t('app.version', { version: lab.version });
});

translatePage();
