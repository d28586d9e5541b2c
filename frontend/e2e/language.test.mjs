// The interface speaks Romanian, Hungarian and English: it starts in the browser's language (Romanian
// otherwise), switches on a tap, remembers the choice, and shows the API's errors in it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiReport, DESKTOP, launch, openPage, PHONE, screenshot, SKIP } from './harness.mjs';

describe('languages', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('switches between Romanian, Hungarian and English, and remembers the choice', async () => {
    const { page, errors } = await openPage(browser, { ...DESKTOP, locale: 'ro-RO' });
    await page.goto('/report');
    const heading = page.getByRole('heading', { level: 1 });
    const pothole = page.locator('.category-tile', { has: page.locator('input[value="pothole"]') });
    await pothole.waitFor();
    assert.equal(await heading.innerText(), 'Semnalați o problemă');
    assert.equal(await pothole.innerText(), 'Groapă în carosabil');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ro');
    await screenshot(page, '08-desktop-report-form');

    await page.getByRole('button', { name: 'Magyar' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'hu');
    assert.equal(await heading.innerText(), 'Probléma bejelentése');
    await page.waitForFunction(() => document.querySelector('input[value="pothole"]')?.closest('label')?.innerText === 'Kátyú az úttesten');
    assert.equal(await page.getByRole('button', { name: 'Bejelentés elküldése' }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Magyar' }).getAttribute('aria-pressed'), 'true');

    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await heading.innerText(), 'Report a problem');
    await page.waitForFunction(() => document.querySelector('input[value="pothole"]')?.closest('label')?.innerText === 'Pothole');

    await page.reload();
    await pothole.waitFor();
    assert.equal(await heading.innerText(), 'Report a problem');
    assert.equal(await pothole.innerText(), 'Pothole');
    assert.equal(await page.evaluate(() => localStorage.getItem('semnal.lang')), 'en');

    // The API's errors come in the chosen language: a mistyped tracking number.
    await page.getByRole('link', { name: 'Follow a report' }).click();
    await page.waitForURL('**/t');
    await page.getByLabel('Tracking number').fill('abcd-ef2z');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL('**/t/ABCD-EF2Z');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /A tracking number has 8 characters/);

    assert.deepEqual(errors, []);
  });

  it('starts in the browser’s language, and in Romanian when it speaks none of ours', async () => {
    for (const [locale, expected] of [
      ['hu-HU', 'Probléma bejelentése'],
      ['en-US', 'Report a problem'],
      ['de-DE', 'Semnalați o problemă'],
    ]) {
      const { page, context } = await openPage(browser, { ...PHONE, locale });
      await page.goto('/');
      await page.locator('.report-fab').waitFor();
      assert.equal(await page.locator('.report-fab').innerText(), expected, locale);
      await context.close();
    }
  });

  it('shows a report’s status and its explanation in Hungarian', async () => {
    const report = await apiReport({
      category: 'street-light-out',
      lat: 46.0669,
      lon: 23.5701,
      address: 'Strada Mihai Viteazu 5',
      description: 'Nem világít',
    });
    const { page, errors } = await openPage(browser, { ...PHONE, locale: 'hu-HU' });
    await page.goto(`/t/${report.tracking_number}`);
    await page.getByTestId('category').waitFor();
    assert.equal(await page.getByTestId('status').innerText(), 'Beérkezett');
    assert.equal(await page.getByTestId('category').innerText(), 'Nem működő közvilágítás');
    // The place as the reporter wrote it (e.g. from an Open311 app), under its Hungarian label.
    assert.equal(await page.getByTestId('address').innerText(), 'Strada Mihai Viteazu 5');
    assert.match(await page.locator('.facts').innerText(), /Cím/);
    assert.match(await page.locator('.status-help').innerText(), /Megkaptuk a bejelentést/);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `${report.tracking_number} számú bejelentés`);
    await screenshot(page, '09-tracking-page-hu', true);
    assert.deepEqual(errors, []);
  });
});
