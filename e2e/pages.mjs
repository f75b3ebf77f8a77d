// Medlars' pages in headless Chromium: what a reader sees and does. Run by the server crate's
// test `pages_in_headless_chromium`, which serves the archive and writes the plan (expected
// texts, counts and PMIDs, worked out from the records and the engine) to the JSON file given as
// the only argument. Exits non-zero, naming each failed check, when the pages disagree.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};
// Text compared without whitespace and with every dash as "-": the browser's line breaks and
// the spacing around inline elements do not matter, the words and their order do.
const squash = (s) => s.replace(/[\u2013\u2014]/g, "-").replace(/\s+/g, "");

const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

async function visibleText(page) {
  return squash(await page.locator("body").innerText());
}

async function links(page) {
  return page.$$eval("a", (anchors) =>
    anchors.map((a) => [a.innerText.trim(), decodeURIComponent(a.getAttribute("href").replace(/\+/g, " "))]),
  );
}

async function docsums(page) {
  return page.$$eval("article.docsum", (items) => items.map((d) => Number(d.dataset.pmid)));
}

async function count(page) {
  const text = await page.locator(".results-amount .value").innerText();
  return Number(text.replace(/,/g, ""));
}

try {
  // Without JavaScript: every page and every control works with links and forms alone.
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  // The seed record, section by section.
  await page.goto(`${plan.base}${plan.seed.pmid}/`);
  const seedText = await visibleText(page);
  for (const t of plan.seed.texts) check(seedText.includes(squash(t)), `seed page: "${t}" is not visible`);
  check(!(await page.locator("dd.citation-ama").isVisible()), "Cite is open before it is clicked");
  await page.click("details.cite summary");
  const ama = await page.locator("dd.citation-ama").innerText();
  check(squash(ama) === squash(plan.seed.ama), `Cite AMA: ${ama}`);
  await page.screenshot({ path: join(plan.screenshots, "record-28257650.png"), fullPage: true });

  // Sections the seed record lacks, on records that have them.
  for (const f of plan.features) {
    await page.goto(`${plan.base}${f.pmid}/`);
    const text = await visibleText(page);
    for (const t of f.texts) check(text.includes(squash(t)), `${f.feature} (PMID ${f.pmid}): "${t}" is not visible`);
    const found = await links(page);
    for (const [label, href] of f.links) {
      const ok = found.some(([t, h]) => squash(t) === squash(label) && h === href);
      check(ok, `${f.feature} (PMID ${f.pmid}): no link "${label}" to ${href}`);
    }
  }

  // A search typed in the box, then sorted, paged, filtered by a timeline bar and an article type.
  const s = plan.search;
  await page.goto(plan.base);
  await page.fill("#term", s.query);
  await page.press("#term", "Enter");
  await page.waitForURL(/term=/);
  check((await count(page)) === s.count, `search: ${await count(page)} results, expected ${s.count}`);
  check((await visibleText(page)).includes("Searchdetails"), "search: no Search details");
  await page.click("a.sort:text('Most recent')");
  await page.waitForURL(/sort=date/);
  check(JSON.stringify(await docsums(page)) === JSON.stringify(s.date_page1), "most recent: page 1 differs");
  await page.click("a.next");
  await page.waitForURL(/page=2/);
  check(JSON.stringify(await docsums(page)) === JSON.stringify(s.date_page2), "most recent: page 2 differs");
  check((await page.locator(".page-number").innerText()).startsWith("Page 2 of"), "page 2 is not said");
  await page.click(`a.year-bar[data-year="${s.year}"]`);
  await page.waitForURL(new RegExp(`filter=years.${s.year}-${s.year}`));
  check((await count(page)) === s.year_count, `year ${s.year}: ${await count(page)} results, expected ${s.year_count}`);
  await page.click(`a[data-filter="pubt.review"]`);
  await page.waitForURL(/filter=pubt.review/);
  check((await count(page)) === s.review_count, `reviews: ${await count(page)} results, expected ${s.review_count}`);
  check((await docsums(page))[0] === s.review_first, "reviews: first result differs");
  await page.screenshot({ path: join(plan.screenshots, "results.png"), fullPage: true });

  // Open a record from the results.
  const title = await page.locator("article.docsum a.docsum-title").first().innerText();
  await page.click("article.docsum a.docsum-title");
  await page.waitForURL(new RegExp(`/${s.review_first}/$`));
  const heading = squash(await page.locator("h1").innerText());
  check(heading === squash(title).replace(/\.$/, ""), "the record's title is not the result's");
  // The active filters are shown, and each can be removed.
  await page.goBack();
  check((await page.locator("a.active-filter").count()) === 2, "the two active filters are not shown");
  await page.click("a.clear-filters");
  await page.waitForURL((url) => !url.search.includes("filter="));
  check((await count(page)) === s.count, "clearing the filters does not restore the count");

  // The advanced builder: a fielded term, then the history.
  await page.goto(`${plan.base}advanced/`);
  await page.selectOption("select[name=field]", { label: "Title" });
  await page.fill("input[name=add]", "alzheimer");
  await page.click("button[value=add]");
  check((await page.inputValue("#query-box")) === "alzheimer[Title]", "builder: query box not filled");
  await page.click("button[value=search]");
  await page.waitForURL(/term=/);
  check((await count(page)) === plan.advanced.count, `builder search: ${await count(page)}, expected ${plan.advanced.count}`);
  await page.goto(`${plan.base}advanced/`);
  const history = await visibleText(page);
  check(history.includes(squash("alzheimer[Title]")), "history lacks the builder's search");
  const rows = await page.$$eval("table.history tbody tr", (r) => r.map((row) => Number(row.dataset.number)));
  check(rows.length >= 4 && rows.every((n, i) => i === 0 || n < rows[i - 1]), `history is not numbered newest first: ${rows}`);
  await context.close();

  // Hostile markup, with JavaScript on: nothing runs, the text shows as text.
  const scripted = await browser.newContext();
  const hostile = await scripted.newPage();
  hostile.on("dialog", (d) => {
    failures.push(`a script ran: ${d.message()}`);
    d.dismiss();
  });
  for (const pmid of plan.hostile) {
    await hostile.goto(`${plan.base}${pmid}/`);
    const heading = await hostile.locator("h1").innerText();
    check(heading.includes("<script>alert("), `PMID ${pmid}: the title's <script> does not show as text`);
    const injected = await hostile.$$eval("main script, main img, main iframe", (e) => e.length);
    check(injected === 0, `PMID ${pmid}: ${injected} injected elements`);
  }
  await hostile.goto(`${plan.base}${plan.hostile[0]}/`);
  check((await hostile.locator("main i").first().innerText()) === "in vivo", "<i> does not render");
  check((await hostile.locator("main sub").first().innerText()) === "2", "<sub> does not render");
  check((await hostile.locator("main math").count()) === 1, "MathML does not render");
  await scripted.close();

  // On a phone: nothing wider than the screen.
  const phone = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true });
  const small = await phone.newPage();
  for (const [path, shot] of [
    [`${plan.seed.pmid}/`, "phone-record.png"],
    [`?term=${encodeURIComponent(s.query)}`, "phone-results.png"],
  ]) {
    await small.goto(`${plan.base}${path}`);
    const [scroll, width] = await small.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    check(scroll <= width, `${path} on a phone: ${scroll}px wide in a ${width}px screen`);
    await small.screenshot({ path: join(plan.screenshots, shot), fullPage: true });
  }
  await phone.close();
} finally {
  await browser.close();
}

if (failures.length) {
  console.error(failures.map((f) => `FAILED: ${f}`).join("\n"));
  process.exit(1);
}
console.log(`all checks passed; screenshots in ${plan.screenshots}`);
