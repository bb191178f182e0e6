// The reference web client: Preact + a typed fetch client, built into web/dist and served by Focus at /.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
  },
  // `npm run dev` in one shell, `npx vite web` in another: the API is proxied to the local server.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
