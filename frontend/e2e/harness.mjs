// Shared set-up for the end-to-end tests: Debian's Chromium through playwright-core, against the real
// server at SEMNAL_URL (scripts/e2e starts one with the demo data and sets it).
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
export const FIXTURES = join(ROOT, 'fixtures/photos');
export const ARTIFACTS = process.env.SEMNAL_E2E_ARTIFACTS ?? join(ROOT, 'target/e2e-artifacts');

export const BASE = process.env.SEMNAL_URL?.replace(/\/+$/, '') ?? '';
/** `skip` option for tests: they need a server. */
export const SKIP = BASE ? false : 'SEMNAL_URL is not set (scripts/e2e starts a server and runs these tests)';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium (CHROMIUM_PATH, default /usr/bin/chromium). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** A phone: 390×844, touch, the given locale. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
/** A laptop screen. */
export const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

/**
 * A new page in a fresh context; every uncaught page error is collected in `errors` (tests assert it stays
 * empty), and console messages go to the test's output when E2E_VERBOSE is set.
 */
export async function openPage(browser, options) {
  const context = await browser.newContext({ baseURL: BASE, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (process.env.E2E_VERBOSE) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
  return { context, page, errors };
}

/** Saves a full-page screenshot as target/e2e-artifacts/NAME.png. */
export async function screenshot(page, name, fullPage = false) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Counts what a resident does: each tap, click, file choice or typed text is one interaction.
 * `choosePhoto(trigger, file)` is two: the tap that opens the camera/picker and the choice.
 */
export function interactions(page) {
  let count = 0;
  const log = [];
  const note = (what) => {
    count += 1;
    log.push(what);
  };
  return {
    get count() {
      return count;
    },
    get log() {
      return [...log];
    },
    async tap(locator, what) {
      note(`tap ${what}`);
      await locator.tap();
    },
    async type(locator, text, what) {
      note(`type ${what}`);
      await locator.fill(text);
    },
    async choosePhoto(trigger, file, what) {
      const chooser = page.waitForEvent('filechooser');
      note(`tap ${what}`);
      await trigger.tap();
      note(`choose ${file}`);
      await (await chooser).setFiles(join(FIXTURES, file));
    },
  };
}

/** Waits until the app's map exists and its style is loaded. */
export async function waitForMap(page) {
  await page.waitForFunction(() => window.__semnalMap?.isStyleLoaded?.() && window.__semnalIncidentsLayer !== undefined, null, {
    timeout: 20_000,
  });
}

/** Files a report through the API (JSON), as another resident would. */
export async function apiReport(body, lang = 'ro') {
  const r = await fetch(`${BASE}/api/v1/incidents`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': lang, 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`POST /api/v1/incidents: ${r.status} ${await r.text()}`);
  return r.json();
}

/** The bytes of a fixture photo. */
export function fixture(name) {
  return readFileSync(join(FIXTURES, name));
}
