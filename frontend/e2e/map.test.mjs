// The map: where it opens, the OpenStreetMap credit, clusters that open up when tapped, and a keyboard
// path to "Report a problem".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASE, DESKTOP, launch, openPage, PHONE, screenshot, SKIP, waitForMap } from './harness.mjs';

async function json(path) {
  const r = await fetch(`${BASE}${path}`);
  return r.ok ? r.json() : null;
}

describe('the map', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('opens on the city it serves, credits OpenStreetMap, and zooms into a tapped cluster', async (t) => {
    const { page, errors } = await openPage(browser, { ...PHONE, locale: 'ro-RO' });
    await page.goto('/');
    await waitForMap(page);

    // The served city's centre (here Alba Iulia), from its incidents' TileJSON.
    const city = await json('/tiles/incidents.json');
    const [lon, lat] = city.center;
    const center = await page.evaluate(() => window.__semnalMap.getCenter().toArray());
    assert.ok(Math.abs(center[0] - lon) < 1e-4 && Math.abs(center[1] - lat) < 1e-4, `centre ${center} is not ${lon},${lat}`);

    const attribution = page.locator('.maplibregl-ctrl-attrib');
    await attribution.waitFor();
    assert.match(await attribution.innerText(), /© OpenStreetMap contributors/);
    assert.ok(await attribution.isVisible());

    await t.test('clusters open up when tapped', async () => {
      // scripts/e2e serves the incident tiles over hundreds of generated reports: without the
      // layer or a cluster there is nothing to test, and that is a failure, not a skip.
      const incidents = await json('/tiles/incidents.json');
      assert.ok(incidents, '/tiles/incidents.json is not served');
      assert.equal(await page.evaluate(() => window.__semnalIncidentsLayer), true, 'the incidents layer is not on the map');
      assert.ok(Array.isArray(incidents.center), `no centre in /tiles/incidents.json: ${JSON.stringify(incidents)}`);
      const [clon, clat] = incidents.center;
      const cluster = await page.evaluate(
        async ([clon, clat]) => {
          const map = window.__semnalMap;
          map.jumpTo({ center: [clon, clat], zoom: 12 });
          await new Promise((resolve) => map.once('idle', resolve));
          const box = map.getCanvas().getBoundingClientRect();
          const clusters = map
            .queryRenderedFeatures({ layers: window.__semnalIncidentLayers })
            .filter((f) => [true, 1, 'true'].includes(f.properties.cluster))
            .map((f) => ({ f, p: map.project(f.geometry.coordinates) }))
            // One well inside the screen, away from the buttons.
            .filter(({ p }) => p.x > 60 && p.x < box.width - 60 && p.y > 120 && p.y < box.height - 160);
          if (!clusters.length) return null;
          const { f, p } = clusters[0];
          return { x: box.left + p.x, y: box.top + p.y, props: f.properties, zoom: map.getZoom() };
        },
        [clon, clat],
      );
      assert.ok(cluster, 'no cluster on screen at zoom 12 over the city centre');
      assert.ok(Number(cluster.props.count) >= 2);
      assert.ok(cluster.props.dominant_status);
      await screenshot(page, '10-map-clusters');
      const moved = page.evaluate(() => new Promise((resolve) => window.__semnalMap.once('moveend', resolve)));
      await page.touchscreen.tap(cluster.x, cluster.y);
      await moved;
      const zoom = await page.evaluate(() => window.__semnalMap.getZoom());
      assert.ok(Math.abs(zoom - Number(cluster.props.expansion_zoom)) < 0.01, `zoom ${zoom}, expansion_zoom ${cluster.props.expansion_zoom}`);
    });

    assert.deepEqual(errors, []);
  });

  it('reaches "Report a problem" with the keyboard, with a visible focus', async () => {
    const { page, errors } = await openPage(browser, { ...DESKTOP, locale: 'en-GB' });
    await page.goto('/');
    await waitForMap(page);
    let reached = false;
    for (let i = 0; i < 25 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('report-fab'));
    }
    assert.ok(reached, 'Tab never reached the Report button');
    const focus = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
    });
    assert.equal(focus.outline, 'solid');
    assert.ok(focus.width >= 2);
    await screenshot(page, '11-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/report');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Report a problem');
    // The page's heading has the focus, so a screen reader starts there.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'report-heading');
    assert.deepEqual(errors, []);
  });
});
