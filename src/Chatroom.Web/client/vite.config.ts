import { defineConfig } from 'vitest/config';

// The dev server forwards API and hub traffic to a running Chatroom host (Chatroom.Standalone by
// default), so `npm run dev` gives hot reload against the real back end.
const backend = process.env.CHATROOM_BACKEND ?? 'http://127.0.0.1:5000';

export default defineConfig({
  base: '/',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: true },
      '/hubs': { target: backend, changeOrigin: true, ws: true },
      '/config.json': { target: backend, changeOrigin: true },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
