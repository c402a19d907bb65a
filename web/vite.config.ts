/// <reference types="vitest/config" />
// Vite builds the single-page app into dist/, which the gateway serves; in development the
// /v1 API is proxied to a gateway running on 127.0.0.1:8480 (./deploy/up.sh), so the browser
// sees one origin and the session cookie works exactly as in production.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const gateway = process.env.TIQUETE_GATEWAY ?? "http://127.0.0.1:8480";

export default defineConfig({
  plugins: [react()],
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/v1": { target: gateway, changeOrigin: false },
    },
  },
  preview: {
    host: "127.0.0.1",
    port: 4173,
    proxy: {
      "/v1": { target: gateway, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    target: "es2022",
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    restoreMocks: true,
  },
});
