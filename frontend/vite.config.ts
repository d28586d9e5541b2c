// Vite builds the resident app into dist/, which `semnal serve` serves at `/`.
// `npm run dev` and `npm run preview` send /api and /tiles to a running semnal
// (SEMNAL_API, default http://127.0.0.1:8080).
import { defineConfig } from 'vitest/config';

const api = process.env.SEMNAL_API ?? 'http://127.0.0.1:8080';
const proxy = {
  '/api': { target: api },
  '/tiles': { target: api },
};

export default defineConfig({
  base: '/',
  build: {
    target: 'es2022',
    sourcemap: true,
    // maplibre-gl is one large chunk by nature.
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy },
  preview: { proxy },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
