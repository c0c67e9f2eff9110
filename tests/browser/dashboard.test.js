#!/usr/bin/env node
// The team dashboard in a real browser: Debian's Chromium, driven by
// playwright-core, click by click through the product's documented flow:
// sign in → Incidents → Create Incident → title, severity, services,
// message → Create → the incident has no source badge and is on the public
// page → updates through Identified, Monitoring, Resolved → publish an
// auto-created draft (a real HTTP monitor against a closed port, with
// KODO_SECOND_MS=50 so a 10 s interval runs every 0.5 s) → change
// Settings > Automation and see it in the API. Also: the same flow without
// JavaScript, a phone width, dark mode, labels and contrast.
// Starts its own `kodo serve` ($KODO_BIN, the ASan build) on a free
// loopback port with a temporary data folder. Screenshots go to
// tests/browser/artifacts/dashboard-*.png. Ends with "browser: N passed,
// N failed" (exit 1 on any failure).
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { sleep, freePort, startServer, stopServer, api } = require('./harness');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, 'artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
const DEADLINE_MS = 15000;
const PIPELINE_MS = 30000; // for the monitor to open its draft
const PASSWORD = 'pw-' + crypto.randomBytes(12).toString('hex');

let passed = 0;
let failed = 0;
let skipRest = false;

// A step of the flow: later steps need the earlier ones, so after a
// failure they are reported as failed without running.
async function check(name, fn) {
  if (skipRest) {
    failed++;
    console.log(`not ok - ${name} (an earlier step failed)`);
    return;
  }
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    skipRest = true;
    console.log(`not ok - ${name}\n  ${String(e && e.stack || e).split('\n').join('\n  ')}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}



async function waitFor(what, fn, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
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

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true });
}

// Every form control has a name people and screen readers can use.
async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.name || el.outerHTML.slice(0, 60)));
}

async function flash(page) {
  return (await page.locator('.flash.ok').innerText()).trim();
}

async function signIn(page, srv) {
  await page.goto(srv.url + '/dashboard/incidents');
  await page.waitForURL('**/login?next=/dashboard/incidents');
  await page.getByLabel('Email or name').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/dashboard/incidents');
}

// The documented "Creating an Incident" steps; returns the incident id.
async function createIncident(page, title, message) {
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Incidents' }).click();
  await page.waitForURL('**/dashboard/incidents');
  await page.getByRole('link', { name: 'Create Incident' }).click();
  await page.waitForURL('**/dashboard/incidents/new');
  await page.getByLabel('Title').fill(title);
  await page.getByRole('radio', { name: /^Major/ }).check();
  await page.getByRole('checkbox', { name: 'Public API' }).check();
  await page.getByLabel('Message').fill(message);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(/\/dashboard\/incidents\/inc_[a-z0-9]+\?done=incident_created$/);
  return page.url().match(/(inc_[a-z0-9]+)/)[1];
}

async function postUpdate(page, status, message) {
  await page.getByLabel('Status').selectOption({ label: status });
  await page.getByLabel('Message', { exact: true }).fill(message);
  await page.getByRole('button', { name: 'Post update' }).click();
  await page.waitForURL(/\?done=update_posted$/);
}

async function run() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const srv = await startServer({
    prefix: 'kodo-browser-dash-', password: PASSWORD,
    env: { KODO_SECOND_MS: '50' }, // test-only: a configured second lasts 50 ms
  });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kodo-chromium-dash-'));
  let ctx = null;
  const dialogs = [];
  try {
    await api(srv, 'POST', '/api/v1/services', { name: 'Public API', group: 'Core platform' });
    await api(srv, 'POST', '/api/v1/services', { name: 'Database', group: 'Core platform' });
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const page = await ctx.newPage();
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    const title = 'Elevated API errors <script>window.__xss=1</script>';
    let incId = null;

    await check('sign in: /dashboard sends to /login, the admin signs in', async () => {
      await page.goto(srv.url + '/dashboard/incidents');
      await page.waitForURL('**/login?next=/dashboard/incidents');
      assert((await page.title()) === 'Sign in · Kodo', await page.title());
      assert((await unlabelled(page)).length === 0, 'unlabelled login fields');
      await shot(page, 'login');
      await page.getByLabel('Email or name').fill('admin');
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert(/do not match/.test(await page.locator('[role=alert]').innerText()), 'error shown');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/dashboard/incidents');
      const cookies = await ctx.cookies(srv.url);
      const s = cookies.find((c) => c.name === 'kodo_session');
      assert(s && s.httpOnly && s.sameSite === 'Lax', JSON.stringify(s));
    });

    await check('Incidents > Create Incident: title, severity, services, message, Create', async () => {
      incId = await createIncident(page, title, 'We are *investigating* elevated error rates.');
      assert((await flash(page)) === 'Incident created.', 'flash');
      assert((await page.locator('h1').innerText()) === title, 'title shown as text');
      const meta = await page.locator('#incident .meta').innerText();
      assert(/Major/.test(meta) && /Investigating/.test(meta), meta);
      assert((await page.locator('#incident .meta .badge.src').count()) === 0, 'no source badge');
      assert(/Public API/.test(await page.locator('.facts').innerText()), 'affected service');
      assert((await page.locator('.timeline em').innerText()) === 'investigating', 'markdown');
      await shot(page, 'incident');
      const inc = (await api(srv, 'GET', `/api/v1/incidents/${incId}`)).incident;
      assert(inc.source === 'manual' && inc.draft === false, JSON.stringify(inc));
      assert(inc.services.length === 1 && inc.services[0].name === 'Public API', 'services');
    });

    await check('the list shows it with severity, status, services, age and no source badge', async () => {
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Incidents' }).click();
      const row = page.locator(`tr[data-id="${incId}"]`);
      assert(await row.isVisible(), 'row visible');
      const text = await row.innerText();
      assert(/Major/.test(text) && /Investigating/.test(text) && /Public API/.test(text), text);
      assert(/just now|min/.test(text), 'age');
      assert((await row.locator('.badge.src').count()) === 0, 'no source badge');
      assert((await row.locator('.badge.draft').count()) === 0, 'no draft badge');
      await shot(page, 'incidents');
    });

    await check('the incident is on the public status page', async () => {
      const pub = await ctx.newPage();
      await pub.goto(srv.url + '/');
      const active = pub.locator('article.incident', { hasText: 'Elevated API errors' });
      assert(await active.isVisible(), 'on the public page');
      assert((await pub.locator('section.banner h1').innerText()).trim() === 'Partial outage', 'banner');
      await shot(pub, 'public');
      await pub.close();
    });

    await check('post updates: Identified, Monitoring, Resolved', async () => {
      await page.locator(`tr[data-id="${incId}"] th a`).click();
      await page.waitForURL(`**/dashboard/incidents/${incId}`);
      await postUpdate(page, 'Identified', 'A bad deploy; rolling back.');
      await postUpdate(page, 'Monitoring', 'Rolled back; watching error rates.');
      await postUpdate(page, 'Resolved', 'Error rates are back to normal.');
      assert((await flash(page)) === 'Update posted.', 'flash');
      const statuses = await page.locator('.timeline .ust').allInnerTexts();
      assert(statuses.join(',') === 'Resolved,Monitoring,Identified,Investigating', statuses.join(','));
      const inc = (await api(srv, 'GET', `/api/v1/incidents/${incId}`)).incident;
      assert(inc.status === 'resolved' && inc.resolved_at, inc.status);
      const pub = await (await fetch(srv.url + `/incidents/${incId}`)).text();
      assert(/Error rates are back to normal/.test(pub), 'public incident page');
    });

    await check('write a retrospective after resolution', async () => {
      await page.getByLabel(/What happened/).fill('A config change skipped the canary.');
      await page.getByRole('button', { name: 'Save retrospective' }).click();
      await page.waitForURL(/\?done=retro_saved$/);
      assert(/skipped the canary/.test(await page.locator('.retro').innerText()), 'shown');
      const inc = (await api(srv, 'GET', `/api/v1/incidents/${incId}`)).incident;
      assert(inc.retrospective === 'A config change skipped the canary.', inc.retrospective);
      await shot(page, 'resolved');
    });

    let draft = null;
    await check('an auto-created draft: Auto: Uptime and Draft badges, not public', async () => {
      await api(srv, 'PATCH', '/api/v1/settings/automation', { draft_mode: true });
      const closed = await freePort();
      await api(srv, 'POST', '/api/v1/monitors', {
        name: 'Checkout health', type: 'http', url: `http://127.0.0.1:${closed}/health`,
        interval_s: 10, failures_to_open: 1, services: ['Public API'],
      });
      draft = await waitFor('an auto-created draft', async () =>
        (await api(srv, 'GET', '/api/v1/incidents?draft=true')).incidents[0], PIPELINE_MS);
      assert(draft.source === 'auto_uptime', draft.source);
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Incidents' }).click();
      await page.getByRole('navigation', { name: 'Incident filters' }).getByRole('link', { name: 'Drafts' }).click();
      await page.waitForURL('**/dashboard/incidents?state=drafts');
      const row = page.locator(`tr[data-id="${draft.id}"]`);
      assert((await row.locator('.badge.src').innerText()) === 'Auto: Uptime', 'source badge');
      assert((await row.locator('.badge.draft').innerText()) === 'Draft', 'draft badge');
      const style = await row.locator('.badge.src').evaluate((el) => {
        const s = getComputedStyle(el);
        return { fg: s.color, bg: s.backgroundColor };
      });
      assert(contrast(style.fg, style.bg) >= 4.5, `badge contrast ${JSON.stringify(style)}`);
      await shot(page, 'drafts');
      const pub = await (await fetch(srv.url + '/')).text();
      assert(!pub.includes(draft.title), 'draft not public');
    });

    await check('Publish the draft: it appears on the public page', async () => {
      await page.locator(`tr[data-id="${draft.id}"] th a`).click();
      await page.waitForURL(`**/dashboard/incidents/${draft.id}`);
      assert(/not on the public status page/.test(await page.locator('.notice.draft').innerText()), 'notice');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.waitForURL(/\?done=published$/);
      assert((await page.locator('.notice.draft').count()) === 0, 'no draft notice');
      const inc = (await api(srv, 'GET', `/api/v1/incidents/${draft.id}`)).incident;
      assert(inc.draft === false && inc.published_at, 'published');
      // The public page may be cached for 10 s: ask past the browser's cache.
      const pub = await ctx.newPage();
      await pub.goto(srv.url + '/?after-publish=' + Date.now());
      const titles = await pub.locator('article.incident h3').allInnerTexts();
      assert(titles.includes(draft.title), `public: ${JSON.stringify(titles)} vs ${draft.title}`);
      await pub.close();
    });

    await check('Monitors: the monitor is Down with its failed checks', async () => {
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Monitors' }).click();
      await page.waitForURL('**/dashboard/monitors');
      const row = page.locator('#monitors tbody tr', { hasText: 'Checkout health' });
      assert((await row.locator('.mstate').innerText()) === 'Down', 'state');
      assert((await row.locator('.ticks li.fail').count()) >= 1, 'failed ticks');
      assert(/connection refused/.test(await row.innerText()), 'reason');
      await shot(page, 'monitors');
    });

    await check('Settings > Automation: change it, see it in the API', async () => {
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Settings' }).click();
      await page.waitForURL('**/dashboard/settings/automation');
      assert((await unlabelled(page)).length === 0, `unlabelled: ${await unlabelled(page)}`);
      await page.getByRole('checkbox', { name: /start as drafts/ }).uncheck();
      await page.getByLabel('Auto-publish drafts after (seconds)').fill('600');
      await page.getByLabel('Cooldown (seconds)').fill('1234');
      await page.getByLabel(/stale after/).fill('2700');
      await page.getByRole('button', { name: 'Save automation settings' }).click();
      await page.waitForURL(/\?done=automation_saved$/);
      assert((await flash(page)) === 'Automation settings saved.', 'flash');
      const a = (await api(srv, 'GET', '/api/v1/settings/automation')).automation;
      assert(a.draft_mode === false && a.auto_publish_after_s === 600 && a.cooldown_s === 1234 &&
        a.stale_after_s === 2700 && a.auto_resolve === true && a.failures_to_open === 3,
      JSON.stringify(a));
      await shot(page, 'settings');
    });

    await check('phone: no horizontal scroll, the list and navigation fit', async () => {
      const phone = await ctx.newPage();
      await phone.setViewportSize({ width: 375, height: 740 });
      await phone.goto(srv.url + '/dashboard/incidents?state=all');
      const overflow = await phone.evaluate(() => [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.scroll'))
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => e.tagName + '.' + e.className).slice(0, 5));
      assert(overflow.length === 0, `overflowing: ${overflow.join(', ')}`);
      assert(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        'horizontal scroll');
      await shot(phone, 'phone');
      await phone.emulateMedia({ colorScheme: 'dark' });
      const s = await phone.evaluate(() => {
        const b = getComputedStyle(document.body);
        return { bg: b.backgroundColor, fg: b.color };
      });
      assert(contrast(s.bg, 'rgb(0, 0, 0)') < 1.5, `dark background ${s.bg}`);
      assert(contrast(s.fg, s.bg) >= 7, `text contrast ${JSON.stringify(s)}`);
      await shot(phone, 'dark');
      await phone.close();
    });

    await check('every page: one h1, every control labelled, nothing overflows', async () => {
      const mon = (await api(srv, 'GET', '/api/v1/monitors')).monitors[0];
      const svc = (await api(srv, 'GET', '/api/v1/services')).services[0];
      for (const p of ['/dashboard/incidents', '/dashboard/incidents/new', `/dashboard/incidents/${incId}`,
        `/dashboard/incidents/${draft.id}`, '/dashboard/services', `/dashboard/services/${svc.id}`,
        '/dashboard/monitors', '/dashboard/monitors/new', `/dashboard/monitors/${mon.id}`,
        '/dashboard/settings/automation', '/dashboard/settings/status-page',
        '/dashboard/settings/tokens', '/dashboard/settings/organizations', '/dashboard/team',
        '/dashboard/account']) {
        const r = await page.goto(srv.url + p);
        assert(r.status() === 200, `${p}: ${r.status()}`);
        assert((await page.locator('h1').count()) === 1, `${p}: h1 count`);
        const missing = await unlabelled(page);
        assert(missing.length === 0, `${p}: unlabelled ${missing.join(', ')}`);
        assert(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          `${p}: horizontal scroll`);
      }
    });

    await check('keyboard: the skip link and focus outline work', async () => {
      await page.goto(srv.url + '/dashboard/incidents');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement.textContent);
      assert(focused === 'Skip to content', focused);
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert(outline !== 'none', outline);
    });

    await check('user text stayed inert (no script ran, no dialog)', async () => {
      assert(await page.evaluate(() => window.__xss === undefined), 'injected script ran');
      assert(dialogs.length === 0, dialogs.join(','));
    });

    await check('sign out ends the session', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/login?done=signed_out');
      await page.goto(srv.url + '/dashboard/incidents');
      await page.waitForURL('**/login?next=/dashboard/incidents');
    });

    await check('no JavaScript: sign in, create an incident, post an update', async () => {
      const nojs = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'kodo-chromium-nojs-')), {
        executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, javaScriptEnabled: false,
        viewport: { width: 1280, height: 900 },
      });
      try {
        const p = await nojs.newPage();
        await signIn(p, srv);
        const id = await createIncident(p, 'Email delays', 'Queues are long.');
        await postUpdate(p, 'Resolved', 'Drained.');
        const inc = (await api(srv, 'GET', `/api/v1/incidents/${id}`)).incident;
        assert(inc.status === 'resolved' && inc.source === 'manual', JSON.stringify(inc));
        await shot(p, 'nojs');
      } finally {
        await nojs.close();
      }
    });
  } finally {
    if (ctx) await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
    await stopServer(srv);
  }
  skipRest = false;
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
