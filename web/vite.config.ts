import { defineConfig } from "vite";

// The bundle caselink serve answers at / (serve --web; default web/dist):
// no CDN, nothing fetched at run time but the API.
export default defineConfig({
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
});
