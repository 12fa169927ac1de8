// The portal's build (into dist/, served by the gateway at /) and its dev server, which proxies the
// API and sign-in to the gateway of `npm start` so the browser still sees one origin.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const gateway = process.env.LTO_GATEWAY_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: {
      "/api": { target: gateway, changeOrigin: false },
      "/oidc": { target: gateway, changeOrigin: false },
    },
  },
});
