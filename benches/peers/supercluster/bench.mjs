// supercluster 8 on the points of benches/cluster_tiles.rs, for BENCHMARKS.md.
//
// Usage (the Rust bench runs this itself when node_modules/ is here):
//   cd benches/peers/supercluster && npm ci
//   node --expose-gc benches/peers/supercluster/bench.mjs POINTS_FILE [TILES_FILE]
//
// POINTS_FILE: little-endian float64 quadruples (lon, lat, status index, category index),
// one per incident, as written by the Rust bench. TILES_FILE: lines "z x y".
//
// Measures `new Supercluster(options).load(features)` (best of 3, with the options of our
// ClusterParams: minZoom 0, maxZoom 16, radius 60, extent 512), the memory the index adds
// (process RSS and V8 heap + array buffers, after a full GC, before and after load), the
// same with a map/reduce that keeps per-cluster status and category counts (what our index
// keeps for every cluster), and getTile for every tile of TILES_FILE. Prints one JSON line.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Supercluster from 'supercluster';

if (typeof globalThis.gc !== 'function') {
    // Rerun with a collector we can call, so that memory is measured after a full GC.
    const child = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], {
        stdio: 'inherit',
    });
    process.exit(child.status ?? 1);
}

const [pointsFile, tilesFile] = process.argv.slice(2);
if (!pointsFile) {
    console.error('usage: node --expose-gc bench.mjs POINTS_FILE [TILES_FILE]');
    process.exit(2);
}

const RUNS = 3;
const MIN_SAMPLES = 3000;
const OPTIONS = { minZoom: 0, maxZoom: 16, radius: 60, extent: 512 };

const fullGc = () => {
    globalThis.gc();
    globalThis.gc();
};
const memory = () => {
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed + m.arrayBuffers };
};

// The input as supercluster takes it: GeoJSON features (kept by the index: getTile returns
// their properties). The file's buffer is garbage once they are made.
function readFeatures(file) {
    const raw = readFileSync(file);
    const values = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
    const out = new Array(values.length / 4);
    for (let i = 0; i < out.length; i++) {
        out[i] = {
            type: 'Feature',
            properties: { status: values[4 * i + 2], category: values[4 * i + 3] },
            geometry: { type: 'Point', coordinates: [values[4 * i], values[4 * i + 1]] },
        };
    }
    return out;
}
fullGc();
const beforeInput = memory();
const features = readFeatures(pointsFile);
fullGc();
const afterInput = memory();

// A reducer as supercluster's README suggests: counts per status (s0…) and category (c0…).
const facetOptions = {
    ...OPTIONS,
    map: (p) => ({ [`s${p.status}`]: 1, [`c${p.category}`]: 1 }),
    reduce: (acc, p) => {
        for (const key in p) acc[key] = (acc[key] || 0) + p[key];
    },
};

function measureLoad(options) {
    const runs = [];
    let index = null;
    for (let r = 0; r < RUNS; r++) {
        index = null;
        fullGc();
        const before = memory();
        const started = performance.now();
        index = new Supercluster(options).load(features);
        const ms = performance.now() - started;
        fullGc();
        const after = memory();
        runs.push({ ms, rss_delta: after.rss - before.rss, heap_delta: after.heap - before.heap });
    }
    return { runs, best_ms: Math.min(...runs.map((r) => r.ms)), index };
}

const plain = measureLoad(OPTIONS);
const result = {
    node: process.version,
    supercluster: JSON.parse(
        readFileSync(new URL('./node_modules/supercluster/package.json', import.meta.url)),
    ).version,
    points: features.length,
    input: { rss: afterInput.rss - beforeInput.rss, heap: afterInput.heap - beforeInput.heap },
    load: { runs: plain.runs, best_ms: plain.best_ms },
    tiles: [],
};

if (tilesFile) {
    const byZoom = new Map();
    for (const line of readFileSync(tilesFile, 'utf8').split('\n')) {
        const [z, x, y] = line.trim().split(/\s+/).map(Number);
        if (Number.isInteger(z)) {
            if (!byZoom.has(z)) byZoom.set(z, []);
            byZoom.get(z).push([x, y]);
        }
    }
    for (const [z, tiles] of byZoom) {
        // One pass to warm up (JIT), then whole passes until MIN_SAMPLES timings.
        for (const [x, y] of tiles) plain.index.getTile(z, x, y);
        const rounds = Math.max(1, Math.ceil(MIN_SAMPLES / tiles.length));
        const times = [];
        let maxFeatures = 0;
        for (let r = 0; r < rounds; r++) {
            for (const [x, y] of tiles) {
                const started = performance.now();
                const tile = plain.index.getTile(z, x, y);
                times.push((performance.now() - started) * 1000);
                maxFeatures = Math.max(maxFeatures, tile ? tile.features.length : 0);
            }
        }
        times.sort((a, b) => a - b);
        const at = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
        result.tiles.push({
            z,
            tiles: tiles.length,
            samples: times.length,
            p50_us: at(0.5),
            p99_us: at(0.99),
            max_us: times[times.length - 1],
            max_features: maxFeatures,
        });
    }
}

plain.index = null;
const facets = measureLoad(facetOptions);
facets.index = null;
result.load_with_facets = { runs: facets.runs, best_ms: facets.best_ms };

process.stdout.write(`${JSON.stringify(result)}\n`);
