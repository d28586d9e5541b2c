// A resident on a phone reports a pothole with a GPS-tagged photo, follows it, and finds it on the map;
// a bad photo gets a clear Romanian message and the form keeps what was entered.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  apiReport,
  BASE,
  interactions,
  launch,
  openPage,
  PHONE,
  screenshot,
  SKIP,
  waitForMap,
} from './harness.mjs';

const POTHOLE_RO = 'Groapă în carosabil';

describe('reporting on a phone', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('files a pothole with a GPS photo in at most 5 interactions, then follows it and finds it on the map', async (t) => {
    // Someone already reported a pothole a few metres away: it must be offered before sending.
    const earlier = await apiReport({ category: 'pothole', lat: 46.07015, lon: 23.58315, description: 'Groapă veche' });

    const { page, errors } = await openPage(browser, { ...PHONE, locale: 'ro-RO' });
    await page.goto('/');
    await waitForMap(page);
    await screenshot(page, '01-map');

    const you = interactions(page);
    await you.choosePhoto(page.getByRole('button', { name: 'Semnalați o problemă' }), 'pothole-gps.jpg', 'Report');

    // The photo's GPS places the pin: no tap on the map needed.
    await page.getByText('Locul a fost preluat din fotografie.').waitFor();
    assert.match(await page.locator('.location-status .coords').innerText(), /^46\.07000, 23\.58300$/);
    await page.locator('.category-tile').first().waitFor();
    await screenshot(page, '02-report-form');

    await you.tap(page.getByRole('radio', { name: POTHOLE_RO }), 'category');

    const nearby = page.locator('section.nearby');
    await nearby.waitFor();
    assert.match(await nearby.innerText(), /Este una dintre acestea\?/);
    assert.match(await nearby.innerText(), new RegExp(earlier.tracking_number));
    await nearby.scrollIntoViewIfNeeded();
    await screenshot(page, '03-nearby-suggestions');

    await you.tap(page.getByRole('button', { name: 'Trimiteți sesizarea' }), 'send');

    const tnEl = page.getByTestId('tracking-number');
    await tnEl.waitFor();
    const trackingNumber = (await tnEl.innerText()).trim();
    assert.match(trackingNumber, /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    await screenshot(page, '04-success');

    t.diagnostic(`interactions: ${you.count} (${you.log.join(', ')})`);
    assert.ok(you.count <= 5, `took ${you.count} interactions: ${you.log.join(', ')}`);

    // Its tracking page.
    await page.getByRole('link', { name: 'Urmăriți sesizarea' }).tap();
    await page.waitForURL(`**/t/${trackingNumber}`);
    await page.getByTestId('category').waitFor();
    assert.equal(await page.getByTestId('status').innerText(), 'Primită');
    assert.equal(await page.getByTestId('category').innerText(), POTHOLE_RO);
    assert.match(await page.locator('.facts').innerText(), /Centru/);
    assert.match(await page.locator('.status-help').innerText(), /Am primit sesizarea/);
    await page.locator('.thumbs img').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.thumbs img')].every((i) => i.complete && i.naturalWidth > 0));
    await screenshot(page, '05-tracking-page', true);

    // A tap on the thumbnail shows the photo at display size.
    await page.getByRole('button', { name: 'Deschideți fotografia 1' }).tap();
    const big = page.locator('dialog.lightbox img');
    await big.waitFor();
    assert.match(await big.getAttribute('src'), /\/display\.jpg$/);
    await page.keyboard.press('Escape');
    await big.waitFor({ state: 'detached' });

    // Back on the map, the report is there: close up (above the clustered zooms) where it was filed, as a point
    // carrying its own tracking number — not just any cluster nearby, which the generated reports always provide.
    await page.getByRole('link', { name: 'Înapoi la hartă' }).tap();
    await waitForMap(page);
    await t.test('the new report is on the map', async () => {
      assert.equal(await page.evaluate(() => window.__semnalIncidentsLayer), true, 'the incidents layer is not on the map');
      const filed = await fetch(`${BASE}/api/v1/incidents/${trackingNumber}`);
      assert.equal(filed.status, 200, `GET /api/v1/incidents/${trackingNumber}`);
      const { location } = await filed.json();
      const found = await page.evaluate(
        async ({ tn, lon, lat }) => {
          const map = window.__semnalMap;
          map.jumpTo({ center: [lon, lat], zoom: 18 });
          await new Promise((resolve) => {
            map.once('idle', resolve);
            map.triggerRepaint();
          });
          const f = map.queryRenderedFeatures({ layers: window.__semnalIncidentLayers }).find((x) => x.properties.tracking_number === tn);
          if (!f) return null;
          const p = map.project(f.geometry.coordinates);
          const box = map.getCanvas().getBoundingClientRect();
          return { props: f.properties, coordinates: f.geometry.coordinates, x: box.left + p.x, y: box.top + p.y };
        },
        { tn: trackingNumber, lon: location.lon, lat: location.lat },
      );
      assert.ok(found, `no feature with tracking number ${trackingNumber} at zoom 18 around ${location.lat}, ${location.lon}`);
      assert.ok([false, 0, 'false'].includes(found.props.cluster), `a cluster, not the report: ${JSON.stringify(found.props)}`);
      assert.equal(found.props.category, 'pothole');
      assert.equal(found.props.status, 'new');
      const [lon, lat] = found.coordinates;
      assert.ok(Math.abs(lon - location.lon) < 1e-4 && Math.abs(lat - location.lat) < 1e-4, `drawn at ${lat}, ${lon}`);
      await screenshot(page, '07-map-with-report');

      // A tap on it opens the sheet with its category, status and a link to follow it.
      await page.touchscreen.tap(found.x, found.y);
      const sheet = page.getByRole('dialog');
      await sheet.waitFor();
      assert.match(await sheet.innerText(), new RegExp(`${POTHOLE_RO}[\\s\\S]*${trackingNumber}`));
      assert.match(await sheet.innerText(), /Primită/);
      assert.equal(await sheet.getByRole('link', { name: 'Urmăriți sesizarea' }).getAttribute('href'), `/t/${trackingNumber}`);
    });

    assert.deepEqual(errors, []);
  });

  it('explains a refused photo in Romanian and keeps the category, description and photo', async () => {
    // The resident stands by the problem, in Alba Iulia, and lets the page use the phone's location.
    const { page, errors } = await openPage(browser, {
      ...PHONE,
      locale: 'ro-RO',
      geolocation: { latitude: 46.0669, longitude: 23.5701, accuracy: 10 },
      permissions: ['geolocation'],
    });
    await page.goto('/');
    await waitForMap(page);

    const you = interactions(page);
    await you.choosePhoto(page.getByRole('button', { name: 'Semnalați o problemă' }), 'fake.heic', 'Report');
    await page.locator('.thumbs li').first().waitFor();
    // No GPS in this photo: the pin comes from the phone's location.
    await you.tap(page.getByRole('button', { name: 'Folosiți locația mea' }), 'use my location');
    await page.getByText('Locul a fost preluat din locația dispozitivului.').waitFor();
    await you.tap(page.getByRole('radio', { name: POTHOLE_RO }), 'category');
    const description = 'Groapă mare lângă trecerea de pietoni';
    await you.type(page.getByLabel('Descriere (opțional)'), description, 'description');
    await you.tap(page.getByRole('button', { name: 'Trimiteți sesizarea' }), 'send');

    const fieldError = page.locator('[data-target="photos"] .field-error');
    await fieldError.waitFor();
    const message = await fieldError.innerText();
    assert.match(message, /JPEG/);
    assert.match(message, /Fotografia 1 este în format HEIC/);
    assert.match(await page.locator('.error-summary').innerText(), /Sesizarea nu a fost trimisă/);
    assert.ok(await page.locator('[data-target="photos"]').evaluate((el) => el.classList.contains('invalid')));
    assert.ok(await page.locator('.thumbs li[data-photo-index="0"]').evaluate((el) => el.classList.contains('invalid')));

    // Everything entered is still there.
    assert.equal(await page.getByRole('radio', { name: POTHOLE_RO }).isChecked(), true);
    assert.equal(await page.getByLabel('Descriere (opțional)').inputValue(), description);
    assert.equal(await page.locator('.thumbs li').count(), 1);
    assert.match(await page.locator('.location-status').innerText(), /locația dispozitivului/);
    await page.locator('[data-target="photos"]').scrollIntoViewIfNeeded();
    await screenshot(page, '06-error');

    // Swapping the photo for a JPEG and sending again files it.
    await page.getByRole('button', { name: 'Ștergeți fotografia 1' }).tap();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Alegeți o fotografie' }).tap();
    await (await chooser).setFiles(new URL('../../fixtures/photos/pothole-gps.jpg', import.meta.url).pathname);
    await page.locator('.thumbs img').first().waitFor();
    assert.equal(await page.locator('.field-error').count(), 0);
    await page.getByRole('button', { name: 'Trimiteți sesizarea' }).tap();
    await page.getByTestId('tracking-number').waitFor();

    assert.deepEqual(errors, []);
  });
});
