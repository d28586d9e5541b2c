// Screenshot the preview page (preview.py) with headless Chromium once MapLibre is idle.
// usage: node tiles/build/screenshot.mjs URL OUT.png [WIDTHxHEIGHT]
// Uses playwright-core from frontend/node_modules and Debian's /usr/bin/chromium.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'frontend', 'package.json'));
const { chromium } = require('playwright-core');

const [url, out, size = '1200x800'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
});
const page = await browser.newPage({ viewport: { width, height } });
const errors = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(url);
await page.waitForFunction(() => document.title === 'idle', null, { timeout: 30000 });
await page.screenshot({ path: out });
await browser.close();
if (errors.length) console.error('browser messages:\n  ' + errors.join('\n  '));
console.error(`screenshot: ${out}`);
