// End-to-end test of the page with playwright-core driving Debian's Chromium.
// scripts/test-web.sh starts the server (zonefiles/ test bed) and passes
// SPF_URL; SPF_SCREENSHOT names the screenshot to write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const URL = process.env.SPF_URL;
const SHOT = process.env.SPF_SCREENSHOT;
assert.ok(URL, 'SPF_URL must name the running page');

let context;
let userDir;
const problems = []; // console errors and page errors, over every test

before(async () => {
  userDir = mkdtempSync(join(tmpdir(), 'spf-chromium-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
});

after(async () => {
  await context?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

async function openPage(hash = '') {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Any alert() would mean markup from DNS ran.
  page.on('dialog', async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  await page.goto(URL + hash);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

async function check(page, ip, helo, mailFrom) {
  await page.fill('#ip', ip);
  await page.fill('#helo', helo);
  await page.fill('#mail-from', mailFrom);
  await page.click('#check-btn');
  await waitDone(page);
}

async function waitDone(page) {
  await page.waitForFunction(() => /^Done:|error/i.test(document.getElementById('status').textContent)
    || document.getElementById('status').classList.contains('error'));
  const status = await page.textContent('#status');
  assert.match(status, /^Done:/, `evaluation failed: ${status}`);
}

const result = (page, id) => page.textContent(`#${id} h3 .res`);
const mode = (page, option, m) => page.textContent(`#mode-table tr[data-option="${option}"][data-mode="${m}"] td`);

test('Instagram: HELO softfail, MAIL FROM pass, and what each mode would do', async () => {
  const page = await openPage();
  await check(page, '66.220.155.156', 'mx-out.facebook.com', 'security@mail.instagram.com');
  assert.equal(await result(page, 'helo-result'), 'softfail');
  assert.equal(await result(page, 'mailfrom-result'), 'pass');
  // The deciding record and term of the HELO identity.
  const helo = await page.textContent('#helo-result');
  assert.match(helo, /mx-out\.facebook\.com: v=spf1 a ~all/);
  assert.match(helo, /~all/);
  // The verdict table: the incident's question answered.
  for (const m of ['SPF_Not_Pass', 'Softfail']) assert.equal(await mode(page, 'HELO_reject', m), 'rejected', m);
  for (const m of ['Fail', 'Null', 'False', 'No_Check']) assert.equal(await mode(page, 'HELO_reject', m), 'accepted', m);
  assert.match(await page.textContent('#mode-table tfoot'),
    /rejected \(550 5\.7\.23 \.\.\.\) under HELO_reject = SPF_Not_Pass or Softfail; accepted under Fail, Null, False, No_Check/);
  assert.match(await page.textContent('#mode-table tr[data-mode="SPF_Not_Pass"][data-option="HELO_reject"]'), /550 5\.7\.23/);
  // Default policy (HELO_reject = Fail): accepted, with the header prepended.
  assert.match(await page.textContent('#verdict'), /accepted/);
  const headers = await page.textContent('#headers');
  assert.match(headers, /^Received-SPF: softfail/m);
  assert.match(headers, /^Received-SPF: pass/m);
  assert.match(headers, /^Authentication-Results: .*spf=softfail smtp\.helo=mx-out\.facebook\.com/m);
  // The trace: include nesting, DNS answers, counters.
  const trace = await page.textContent('#trace');
  assert.match(trace, /check_host\(facebookmail\.com\)/);
  assert.match(trace, /A mx-out\.facebook\.com → records: 69\.63\.179\.2/);
  assert.match(trace, /DNS-querying terms 1\/10 · void lookups 0\/2/);
  // Choosing SPF_Not_Pass changes the verdict to a reject.
  await page.click('#settings summary');
  await page.selectOption('#helo-reject', 'SPF_Not_Pass');
  await page.click('#check-btn');
  await waitDone(page);
  assert.match(await page.textContent('#action-line'), /^550 5\.7\.23 /);
  if (SHOT) {
    await page.selectOption('#helo-reject', 'Fail');
    await page.click('#check-btn');
    await waitDone(page);
    await page.screenshot({ path: SHOT, fullPage: true });
  }
  await page.close();
});

test('Outlook over IPv6: both identities pass (submitted with the keyboard)', async () => {
  const page = await openPage();
  await page.fill('#ip', '2a01:111:f400:7e02::200');
  await page.fill('#helo', 'eur01-db5-obe.outbound.protection.outlook.com');
  await page.fill('#mail-from', 'someone@outlook.com');
  await page.press('#mail-from', 'Enter');
  await waitDone(page);
  assert.equal(await result(page, 'helo-result'), 'pass');
  assert.equal(await result(page, 'mailfrom-result'), 'pass');
  assert.match(await page.textContent('#trace'), /ip6:2a01:111:f400::\/48/);
  await page.close();
});

test('what-if: an overridden HELO record including the client passes, and the state survives a reload', async () => {
  const page = await openPage();
  await check(page, '66.220.155.156', 'mx-out.facebook.com', 'security@mail.instagram.com');
  assert.equal(await result(page, 'helo-result'), 'softfail');
  await page.click('#whatif summary');
  await page.click('#add-override');
  await page.fill('.override .ov-name', 'mx-out.facebook.com');
  await page.selectOption('.override .ov-type', 'TXT');
  await page.fill('.override .ov-values', 'v=spf1 a ip4:66.220.155.156 ~all');
  await page.click('#check-btn');
  await waitDone(page);
  assert.equal(await result(page, 'helo-result'), 'pass');
  assert.match(await page.textContent('#helo-result'), /ip4:66\.220\.155\.156/);
  // The fragment holds the whole state: a fresh page runs the same check.
  const hash = new globalThis.URL(page.url()).hash;
  assert.match(decodeURIComponent(hash), /mx-out\.facebook\.com/);
  const again = await openPage(hash);
  await waitDone(again);
  assert.equal(await result(again, 'helo-result'), 'pass');
  assert.equal(await again.inputValue('#ip'), '66.220.155.156');
  await again.close();
  await page.close();
});

test('test a record: a pasted record is linted and evaluated without publishing', async () => {
  const page = await openPage();
  await page.fill('#rec-domain', 'mail.instagram.com');
  await page.fill('#rec-ip', '66.220.155.156');
  await page.fill('#rec-text', 'v=spf1 ip4:192.0.2.0/24 ptr -all');
  await page.click('#rec-btn');
  await page.waitForFunction(() => /^Result:/.test(document.getElementById('rec-status').textContent));
  assert.equal(await page.textContent('#rec-result .identity h3 .res'), 'fail');
  assert.match(await page.textContent('#rec-result .findings'), /SHOULD NOT be used/);
  await page.close();
});

test('markup in DNS renders as inert text', async () => {
  const page = await openPage();
  await check(page, '192.0.2.99', 'mail.xss.example', 'someone@xss.example');
  assert.equal(await result(page, 'helo-result'), 'fail');
  assert.equal(await result(page, 'mailfrom-result'), 'fail');
  const explanation = await page.textContent('#mailfrom-result .explanation');
  assert.match(explanation, /<img src=x onerror=alert\(1\)><script>alert\('exp'\)<\/script> 192\.0\.2\.99 may not send for xss\.example/);
  assert.match(await page.textContent('#trace'), /note=<img src=x onerror=alert\(1\)>/);
  // A record whose markup is a term: permerror, the text shown as text.
  await check(page, '192.0.2.99', 'broken.xss.example', 'someone@xss.example');
  assert.equal(await result(page, 'helo-result'), 'permerror');
  assert.match(await page.textContent('#helo-result'), /<script>alert\(1\)<\/script>/);
  const injected = await page.evaluate(() => document.querySelectorAll('main img, main script, main [onerror]').length);
  assert.equal(injected, 0, 'no element came from DNS text');
  await page.close();
});

test('narrow screen: no horizontal scrolling at 360 px', async () => {
  const page = await openPage();
  await page.setViewportSize({ width: 360, height: 800 });
  await check(page, '66.220.155.156', 'mx-out.facebook.com', 'security@mail.instagram.com');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.close();
});

test('no console errors, page errors or dialogs in any test', () => {
  assert.deepEqual(problems, []);
});
