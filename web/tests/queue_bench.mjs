// The workbench's queue at scale, in Debian's chromium: time from sign-in to
// the first page of the queue painted, and from a keystroke in "search
// within" to the filtered page painted (the page's own measurements,
// data-first-paint-ms and data-filter-ms), over RUNS runs each.
//
// Usage: node tests/queue_bench.mjs URL TOKEN [RUNS] [MIN_SCORE]
import { chromium } from "playwright-core";

const [base, token, runsText, minScore] = process.argv.slice(2);
const runs = Number(runsText ?? 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const paints = [];
const filters = [];
let total = "";
for (let i = 0; i < runs; i++) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(base + "/" + (minScore ? `#/queue?min_score=${minScore}` : ""));
  await page.fill("#token", token);
  const t0 = Date.now();
  await page.click("button[type=submit]");
  await page.waitForSelector("table.queue tbody tr");
  paints.push(Date.now() - t0);
  total = await page.textContent("table.queue caption");
  const name = (await page.textContent("table.queue tbody tr:nth-child(3) td:nth-child(3) a")).split(" ")[0];
  await page.fill("#queue-q", name);
  await page.waitForFunction(() => document.querySelector("table.queue")?.dataset.filterMs);
  filters.push(Number(await page.getAttribute("table.queue", "data-filter-ms")));
  await page.context().close();
}
await browser.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`queue: ${total}`);
console.log(`first paint (sign-in click to rows painted): median ${median(paints)} ms, runs ${paints.join(" ")}`);
console.log(`filter (request to filtered rows painted; after a 150 ms typing pause): median ${median(filters).toFixed(0)} ms, runs ${filters.map((x) => x.toFixed(0)).join(" ")}`);
