// A case's evidence graph opened out to NODES nodes (each node's neighbours,
// then the "more" of each, breadth first), then panned and zoomed for
// SECONDS with the mouse in Debian's chromium: frames per second as the page
// drew them (requestAnimationFrame), and the longest frame.
//
// Usage: node tests/graph_bench.mjs URL TOKEN [NODES] [SECONDS]
import { chromium } from "playwright-core";

const [base, token, nodesText, secondsText] = process.argv.slice(2);
const want = Number(nodesText ?? 500);
const seconds = Number(secondsText ?? 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
await page.goto(base + "/");
await page.fill("#token", token);
await page.click("button[type=submit]");
await page.waitForSelector("table.queue tbody tr");
const entity = await page.getAttribute("table.queue tbody tr:first-child", "data-entity");
await page.goto(base + "/#/case/" + encodeURIComponent(entity));
await page.waitForSelector("#case-graph canvas");
await page.click("details summary");
const clicked = new Set();
const nodes = async () => Number(await page.getAttribute("#case-graph", "data-nodes"));
let opened = 0;
const t0 = Date.now();
const openTimes = [];
while ((await nodes()) < want && opened < 400) {
  const ids = await page.$$eval(".node-list button", (b) => b.map((x) => x.dataset.node));
  const next = ids.find((id) => id.startsWith("more|") && !clicked.has(id)) ?? ids.find((id) => !clicked.has(id));
  if (!next) break;
  clicked.add(next);
  const before = await nodes();
  const t1 = Date.now();
  await page.click(`.node-list button[data-node="${next.replace(/"/g, '\\"')}"]`);
  await page.waitForFunction((n) => Number(document.getElementById("case-graph").dataset.nodes) !== n, before, { timeout: 15000 }).catch(() => {});
  openTimes.push(Date.now() - t1);
  opened++;
}
const drawn = await nodes();
const last = openTimes.slice(-10).sort((a, b) => a - b);
console.log(`graph of ${drawn} nodes after opening ${opened} nodes (${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
  `the last ten opens took a median ${last[Math.floor(last.length / 2)]} ms from click to nodes added)`);
await page.evaluate(() => {
  window.__frames = [];
  const tick = (t) => {
    window.__frames.push(t);
    if (!window.__stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
const box = await page.locator("#case-graph").boundingBox();
const cx = box.x + box.width / 2;
const cy = box.y + box.height / 2;
await page.mouse.move(cx, cy);
const end = Date.now() + seconds * 1000;
let step = 0;
while (Date.now() < end) {
  // Zoom in and out with the wheel, and drag the canvas to pan.
  await page.mouse.wheel(0, step % 20 < 10 ? -120 : 120);
  await page.mouse.down();
  await page.mouse.move(cx + 60 * Math.sin(step / 5), cy + 40 * Math.cos(step / 5), { steps: 4 });
  await page.mouse.up();
  step++;
}
const frames = await page.evaluate(() => {
  window.__stop = true;
  return window.__frames;
});
const gaps = frames.slice(1).map((t, i) => t - frames[i]);
const fps = (frames.length - 1) / ((frames[frames.length - 1] - frames[0]) / 1000);
console.log(`pan/zoom for ${seconds} s: ${fps.toFixed(1)} frames/s, longest frame ${Math.max(...gaps).toFixed(0)} ms, ${step} gestures`);
await browser.close();
