#!/usr/bin/env node
// The public status page in a real browser: Debian's Chromium, driven by
// playwright-core. Starts its own `kodo serve` (the ASan build, $KODO_BIN)
// on a free loopback port with a temporary data folder, seeds it through the
// API, then checks what a visitor sees at desktop and phone widths, in dark
// mode and without JavaScript. Screenshots go to tests/browser/artifacts/.
// Ends with "browser: N passed, N failed" (exit 1 on any failure).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { sleep, freePort, startServer, stopServer, api } = require('./harness');
const { decodePng } = require('./png');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, 'artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
const DEADLINE_MS = 15000;

let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack || e).split('\n').join('\n  ')}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}




async function seed(srv) {
  const svc = async (name, extra) => (await api(srv, 'POST', '/api/v1/services', { name, ...extra })).service;
  const apiSvc = await svc('Public API', { group: 'Core platform', description: 'REST and webhooks' });
  await svc('Database', { group: 'Core platform' });
  await svc('Dashboard with a rather long name that has to wrap on a phone screen');
  await svc('Email delivery');
  const inc = (await api(srv, 'POST', '/api/v1/incidents', {
    title: 'Elevated error rates on the Public API',
    severity: 'major',
    services: [apiSvc.id],
    message: 'We are *investigating* reports of errors. <script>window.__xss = 1</script>',
  })).incident;
  await api(srv, 'POST', `/api/v1/incidents/${inc.id}/updates`, {
    status: 'identified',
    message: 'A bad deploy. [Details](javascript:window.__xss=2) and [status docs](https://docs.example/a).',
  });
  await api(srv, 'POST', `/api/v1/incidents/${inc.id}/updates`, {
    status: 'monitoring',
    message: 'Rolled back; watching `error_rate`:\n\n- EU: normal\n- US: recovering',
  });
  const old = (await api(srv, 'POST', '/api/v1/incidents', {
    title: 'Email delays', severity: 'minor', message: 'Queues are long.',
  })).incident;
  await api(srv, 'POST', `/api/v1/incidents/${old.id}/updates`, { status: 'resolved', message: 'Drained.' });
  await api(srv, 'POST', '/api/v1/incidents', {
    title: 'SECRET DRAFT TITLE', severity: 'critical', draft: true, message: 'not public',
  });
  await api(srv, 'PATCH', '/api/v1/settings/status-page', { name: 'Example Cloud', accent_color: '#5b21b6' });
  return { incident: inc };
}

// WCAG contrast of two "rgb(r, g, b)" colors.
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

// The days a service's bar draws: separate cells counted along its middle
// row in a screenshot (a pixel is a gap when it has the card's color).
async function drawnDays(page, name) {
  const bar = page.locator('.svc', { hasText: name }).locator('.bar');
  await page.mouse.move(0, 0);
  const card = await bar.evaluate((b) => getComputedStyle(b.closest('.card')).backgroundColor);
  const [cr, cg, cb] = card.match(/\d+/g).map(Number);
  const img = decodePng(await bar.screenshot());
  const y = img.height >> 1;
  let cells = 0;
  let inCell = false;
  for (let x = 0; x < img.width; x++) {
    const [r, g, b] = img.pixel(x, y);
    const gap = Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) < 12;
    if (!gap && !inCell) cells++;
    inCell = !gap;
  }
  return cells;
}

// "Nov 29, 2026" for the day `back` days before the bar's last day.
function dayName(end, back) {
  const d = new Date(end + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - back);
  return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

async function run() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const srv = await startServer({ prefix: 'kodo-browser-' });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kodo-chromium-'));
  let ctx = null;
  try {
    const seeded = await seed(srv);
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timezoneId: 'America/New_York',
      viewport: { width: 1280, height: 900 },
    });
    const dialogs = [];
    ctx.on('page', (p) => p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); }));

    const page = await ctx.newPage();
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    const resp = await page.goto(srv.url + '/', { waitUntil: 'load' });

    await check('desktop: the page loads with its own title', async () => {
      assert(resp.status() === 200, `status ${resp.status()}`);
      assert((await page.title()) === 'Example Cloud status', await page.title());
    });

    await check('desktop: banner says partial outage, in words and color', async () => {
      const banner = page.locator('section.banner');
      assert(await banner.isVisible(), 'banner visible');
      const text = (await banner.locator('h1').innerText()).trim();
      assert(text === 'Partial outage', text);
      const style = await banner.evaluate((el) => {
        const s = getComputedStyle(el);
        return { fg: s.color, bg: s.backgroundColor };
      });
      assert(contrast(style.fg, style.bg) >= 4.5, `banner contrast ${JSON.stringify(style)}`);
    });

    await check('desktop: services, grouped, with status words and 90 days', async () => {
      const names = await page.locator('.svc .sname').allInnerTexts();
      assert(names.length === 4, names.join('|'));
      assert(names[0] === 'Public API' && names[1] === 'Database', names.join('|'));
      assert((await page.locator('.grp h3').innerText()) === 'Core platform', 'group heading');
      const api = page.locator('.svc', { hasText: 'Public API' });
      assert((await api.locator('.st').innerText()).trim() === 'Partial outage', 'API status');
      const db = page.locator('.svc', { hasText: 'Database' });
      assert((await db.locator('.st').innerText()).trim() === 'Operational', 'DB status');
      const spanned = await api.locator('.bar .d').evaluateAll((els) =>
        els.reduce((n, e) => n + (parseInt(getComputedStyle(e).getPropertyValue('--n'), 10) || 1), 0));
      assert(spanned === 90, `days spanned ${spanned}`);
      for (const name of ['Public API', 'Database']) {
        const drawn = await drawnDays(page, name);
        assert(drawn === 90, `${name}: ${drawn} day cells drawn`);
      }
      assert(/uptime/.test(await api.locator('.legend .up').innerText()), 'uptime text');
    });

    await check('desktop: a day tooltip shows date, uptime and incidents on hover', async () => {
      const today = page.locator('.svc', { hasText: 'Public API' }).locator('.bar .d').last();
      await today.hover();
      const tip = today.locator('span');
      const box = await tip.boundingBox();
      assert(box && box.width > 40 && box.height > 10, `tooltip box ${JSON.stringify(box)}`);
      const text = await tip.innerText();
      assert(/uptime/.test(text) && /Elevated error rates/.test(text), text);
      const vw = page.viewportSize().width;
      assert(box.x >= 0 && box.x + box.width <= vw, 'tooltip inside the viewport');
    });

    await check('desktop: over a run of alike days, the words name the day under the pointer', async () => {
      const bar = page.locator('.svc', { hasText: 'Database' }).locator('.bar');
      const run = bar.locator('.d').first(); // the days before the service existed
      const words = await run.locator('span').textContent();
      assert(/^[A-Z][a-z]{2} \d+ \u2013 [A-Z][a-z]{2} \d+, \d{4}: no data$/.test(words), words);
      const box = await bar.boundingBox();
      const end = await bar.getAttribute('data-end');
      for (const back of [89, 45, 1]) {
        await page.mouse.move(box.x + box.width - (back + 0.5) * (box.width / 90), box.y + box.height / 2);
        const tip = run.locator('span');
        const text = await tip.innerText();
        assert(text === `${dayName(end, back)}: no data`, `${back} days back: ${text}`);
        const t = await tip.boundingBox();
        assert(t.x >= box.x - 1 && t.x + t.width <= box.x + box.width + 1, `tip ${JSON.stringify(t)}`);
        assert(t.y + t.height <= box.y, 'tip above the bar');
      }
      await page.mouse.move(0, 0);
      assert((await run.locator('span').textContent()) === words, 'words restored');
    });

    await check('desktop: active incident with its whole timeline, newest first', async () => {
      const inc = page.locator('article.incident');
      assert((await inc.count()) === 1, 'one active incident');
      assert(/Elevated error rates/.test(await inc.locator('h3').innerText()), 'title');
      assert((await inc.locator('.badge').innerText()) === 'Major', 'severity');
      assert(/Affects: Public API/.test(await inc.innerText()), 'affected services');
      const statuses = await inc.locator('.timeline .ust').allInnerTexts();
      assert(statuses.join(',') === 'Monitoring,Identified,Investigating', statuses.join(','));
      assert((await inc.locator('.timeline em').innerText()) === 'investigating', 'markdown emphasis');
      assert((await inc.locator('.timeline li li').count()) === 2, 'markdown list');
      const links = await inc.locator('.timeline a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert(links.length === 1 && links[0] === 'https://docs.example/a', links.join(','));
    });

    await check('desktop: user text stayed inert (no script ran, no dialog)', async () => {
      assert(await page.evaluate(() => window.__xss === undefined), 'injected script ran');
      assert(dialogs.length === 0, dialogs.join(','));
      assert(/<script>window.__xss = 1<\/script>/.test(await page.locator('article.incident').innerText()),
        'shown as text');
    });

    await check('desktop: times in UTC, with local time added by the script', async () => {
      const t = page.locator('article.incident time').first();
      assert(/UTC$/.test(await t.innerText()), await t.innerText());
      const local = await page.locator('article.incident .local').count();
      assert(local === 3, `local times ${local}`);
    });

    await check('desktop: history of 14 days, quiet days say so', async () => {
      const days = page.locator('.day');
      assert((await days.count()) === 14, 'fourteen days');
      assert((await page.locator('.day .quiet').count()) === 13, 'thirteen quiet days');
      const today = await days.first().innerText();
      assert(/Email delays/.test(today) && /Elevated error rates/.test(today), today);
    });

    await check('desktop: drafts are nowhere', async () => {
      assert(!/SECRET DRAFT/.test(await page.content()), 'draft in page');
    });

    await check('desktop: layout sane, screenshot taken', async () => {
      assert(await noHorizontalScroll(page), 'horizontal scroll at 1280 px');
      const main = await page.locator('main').boundingBox();
      assert(main.width <= 880 && main.x > 0, `main ${JSON.stringify(main)}`);
      await page.screenshot({ path: path.join(ARTIFACTS, 'desktop.png'), fullPage: true });
    });

    await check('desktop: the incident page, from the title link', async () => {
      await page.locator('article.incident h3 a').click();
      await page.waitForURL(`**/incidents/${seeded.incident.id}`);
      assert((await page.locator('h1').innerText()) === 'Elevated error rates on the Public API', 'h1');
      assert((await page.locator('.timeline .upd').count()) === 3, 'three updates');
      await page.screenshot({ path: path.join(ARTIFACTS, 'incident.png'), fullPage: true });
    });

    await check('desktop: a draft incident page is 404', async () => {
      const list = await api(srv, 'GET', '/api/v1/incidents?draft=true');
      const r = await page.goto(`${srv.url}/incidents/${list.incidents[0].id}`);
      assert(r.status() === 404, `status ${r.status()}`);
      assert(!/SECRET/.test(await page.content()), 'draft text');
    });

    const phone = await ctx.newPage();
    await phone.setViewportSize({ width: 375, height: 740 });
    await phone.goto(srv.url + '/', { waitUntil: 'load' });

    await check('phone: no horizontal scroll, 30 days shown, text wraps', async () => {
      assert(await noHorizontalScroll(phone), 'horizontal scroll on the phone');
      const api = phone.locator('.svc', { hasText: 'Public API' });
      const drawn = await drawnDays(phone, 'Public API');
      assert(drawn === 30, `day cells drawn ${drawn}`);
      assert(await api.locator('.legend .short').isVisible(), '30 days legend');
      const overflow = await phone.evaluate(() => [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.d')) // day words: visually hidden until hovered
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => e.tagName + '.' + e.className).slice(0, 5));
      assert(overflow.length === 0, `overflowing: ${overflow.join(', ')}`);
      const banner = await phone.locator('section.banner').boundingBox();
      assert(banner.width <= 375 && banner.x >= 0, `banner ${JSON.stringify(banner)}`);
      await phone.screenshot({ path: path.join(ARTIFACTS, 'phone.png'), fullPage: true });
    });

    await check('dark mode: dark background, readable text', async () => {
      await phone.emulateMedia({ colorScheme: 'dark' });
      await phone.setViewportSize({ width: 1280, height: 900 });
      const s = await phone.evaluate(() => {
        const b = getComputedStyle(document.body);
        const st = getComputedStyle(document.querySelector('.st.s0'));
        const card = getComputedStyle(document.querySelector('.card'));
        return { bg: b.backgroundColor, fg: b.color, ok: st.color, card: card.backgroundColor };
      });
      assert(contrast(s.bg, 'rgb(0, 0, 0)') < 1.5, `dark background ${s.bg}`);
      assert(contrast(s.fg, s.bg) >= 7, `text contrast ${JSON.stringify(s)}`);
      assert(contrast(s.ok, s.card) >= 4.5, `status contrast ${JSON.stringify(s)}`);
      await phone.screenshot({ path: path.join(ARTIFACTS, 'desktop-dark.png'), fullPage: true });
    });
    await phone.close();

    await check('no JavaScript: the page is complete', async () => {
      const nojs = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'kodo-chromium-nojs-')), {
        executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, javaScriptEnabled: false,
        viewport: { width: 1280, height: 900 },
      });
      try {
        const p = await nojs.newPage();
        await p.goto(srv.url + '/');
        assert((await p.locator('section.banner h1').innerText()).trim() === 'Partial outage', 'banner');
        assert((await p.locator('article.incident .timeline .upd').count()) === 3, 'timeline');
        assert((await p.locator('.local').count()) === 0, 'no script ran');
        assert((await p.locator('.day').count()) === 14, 'history');
        const run = p.locator('.svc', { hasText: 'Database' }).locator('.bar .d').first();
        await run.hover();
        const tip = await run.locator('span').innerText();
        assert(/\u2013 .*: no data$/.test(tip) && (await run.locator('span').boundingBox()).width > 40, tip);
      } finally {
        await nojs.close();
      }
    });
  } finally {
    if (ctx) await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
    await stopServer(srv);
  }
  await check('server: clean exit, no sanitizer report', async () => {
    assert(srv.exitCode === 0, `exit code ${srv.exitCode}`);
    for (const marker of ['LeakSanitizer', 'AddressSanitizer', 'runtime error:']) {
      assert(!srv.stderr.includes(marker), `${marker} in stderr:\n${srv.stderr}`);
    }
  });
}

run()
  .catch((e) => {
    failed++;
    console.log(`not ok - run aborted\n  ${e && e.stack || e}`);
  })
  .finally(() => {
    console.log(`browser: ${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  });
