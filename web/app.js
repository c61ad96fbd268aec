// The page: reads the form, calls the WebAssembly evaluator, and draws what it
// returns. No SPF rule lives here. Everything that comes from DNS (records,
// explanations, names) is attacker-controlled: it is only ever inserted as
// text (textContent / text nodes), never as HTML.
import init, { evaluate, checkRecord, parseRecord, policyOptions } from './pkg/spf_wasm.js';

const $ = (id) => document.getElementById(id);

/** Creates an element; strings among the children become text nodes. */
function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const RESULTS = ['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror'];
const badge = (r) => el('span', { class: `res res-${RESULTS.includes(r) ? r : 'none'}` }, r);
const IDENTITY = { helo: 'HELO', mail_from: 'MAIL FROM' };

// ---- state in the URL fragment -------------------------------------------------

const FIELDS = {
  ip: 'ip', helo: 'helo', from: 'mail-from', hr: 'helo-reject', mr: 'mail-from-reject',
  rcv: 'receiver', doh: 'endpoint', to: 'timeout', rd: 'rec-domain', ri: 'rec-ip', rt: 'rec-text',
};
const CHECKS = { pe: 'permerror-reject', td: 'temperror-defer' };

function saveState() {
  const p = new URLSearchParams();
  for (const [k, id] of Object.entries(FIELDS)) if ($(id).value) p.set(k, $(id).value);
  for (const [k, id] of Object.entries(CHECKS)) if ($(id).checked) p.set(k, '1');
  const ov = readOverrides();
  if (ov.length) p.set('ov', JSON.stringify(ov));
  history.replaceState(null, '', `#${p.toString()}`);
}

function loadState() {
  const p = new URLSearchParams(location.hash.slice(1));
  for (const [k, id] of Object.entries(FIELDS)) if (p.has(k)) $(id).value = p.get(k);
  for (const [k, id] of Object.entries(CHECKS)) $(id).checked = p.get(k) === '1';
  $('overrides').replaceChildren();
  try {
    const ov = JSON.parse(p.get('ov') || '[]');
    if (Array.isArray(ov)) for (const o of ov) addOverride(o);
  } catch { /* a malformed fragment is ignored */ }
  updateOverrideCount();
  return p;
}

// ---- what-if overrides ----------------------------------------------------------

let overrideSeq = 0;
function addOverride(o = { name: '', type: 'TXT', values: [] }) {
  const n = ++overrideSeq;
  const type = el('select', { class: 'ov-type', id: `ov-type-${n}` },
    ['TXT', 'A', 'AAAA', 'MX', 'PTR'].map((t) => el('option', { value: t }, t)));
  type.value = ['TXT', 'A', 'AAAA', 'MX', 'PTR'].includes(String(o.type).toUpperCase()) ? String(o.type).toUpperCase() : 'TXT';
  const name = el('input', { class: 'ov-name', id: `ov-name-${n}`, autocomplete: 'off', spellcheck: 'false' });
  name.value = String(o.name ?? '');
  const values = el('textarea', { class: 'ov-values', id: `ov-values-${n}`, rows: 2, spellcheck: 'false' });
  values.value = Array.isArray(o.values) ? o.values.join('\n') : '';
  const remove = el('button', { type: 'button', class: 'ov-remove' }, 'Remove');
  const row = el('fieldset', { class: 'override' },
    el('legend', {}, `Override ${n}`),
    el('label', { for: name.id }, 'Name', name),
    el('label', { for: type.id }, 'Type', type),
    el('label', { for: values.id, class: 'wide' }, 'Records (one per line)', values),
    remove);
  remove.addEventListener('click', () => { row.remove(); updateOverrideCount(); });
  $('overrides').append(row);
  updateOverrideCount();
  return row;
}

function readOverrides() {
  return [...document.querySelectorAll('#overrides .override')].map((row) => ({
    name: row.querySelector('.ov-name').value.trim(),
    type: row.querySelector('.ov-type').value,
    values: row.querySelector('.ov-values').value.split('\n').map((s) => s.replace(/\r$/, '')).filter((s) => s.trim() !== ''),
  })).filter((o) => o.name !== '');
}

function updateOverrideCount() {
  $('override-count').textContent = String(document.querySelectorAll('#overrides .override').length);
}

// ---- inputs for the evaluator ----------------------------------------------------

function common() {
  const c = { overrides: readOverrides() };
  if ($('receiver').value.trim()) c.receiver = $('receiver').value.trim();
  if ($('endpoint').value.trim()) c.endpoint = $('endpoint').value.trim();
  const t = parseInt($('timeout').value, 10);
  if (Number.isFinite(t) && t > 0) c.timeoutMs = t;
  return c;
}

function policyInput() {
  return {
    settings: {
      HELO_reject: $('helo-reject').value,
      Mail_From_reject: $('mail-from-reject').value,
      PermError_reject: $('permerror-reject').checked ? 'True' : 'False',
      TempError_Defer: $('temperror-defer').checked ? 'True' : 'False',
    },
  };
}

// ---- rendering -------------------------------------------------------------------

function identityCard(v, id) {
  const title = IDENTITY[v.identity] ?? v.identity;
  const rows = [
    ['Checked', `${v.domain} (sender ${v.sender})`],
    ['Why', v.cause],
  ];
  if (v.unchecked) rows.push(['Not looked up', v.unchecked]);
  if (v.explanation) rows.push(['Explanation', el('q', { class: 'explanation' }, v.explanation)]);
  if (v.deciding) {
    rows.push(['Deciding record', el('span', {}, `${v.deciding.domain}: `, el('code', { class: 'record' }, v.deciding.record))]);
    rows.push(['Deciding term', v.deciding.mechanism ? el('code', {}, v.deciding.mechanism) : 'none matched (default neutral)']);
  }
  return [
    el('h3', { id: `${id}-h` }, title, ' ', badge(v.result)),
    el('dl', {}, rows.map(([k, val]) => [el('dt', {}, k), el('dd', {}, val)])),
  ];
}

const OUTCOME_WORD = { match: 'match', no_match: 'no match', error: 'error', modifier: 'modifier', not_reached: 'not reached' };

function queryItem(q) {
  const answer = q.records?.length ? q.records.join(' | ') : (q.error || q.answer);
  return el('li', { class: `query ans-${q.answer}` },
    el('span', { class: 'qtype' }, q.rtype), ' ', el('span', { class: 'qname' }, q.name), ' → ',
    el('span', { class: 'qclass' }, q.answer), q.records?.length ? [': ', el('span', { class: 'qdata' }, answer)] : '',
    q.error && !q.records?.length ? [' (', q.error, ')'] : '');
}

function checkNode(c, limits, open) {
  const items = [];
  for (const q of c.queries ?? []) items.push(queryItem(q));
  if (c.record) items.push(el('li', { class: 'rec' }, 'record: ', el('code', {}, c.record)));
  for (const t of c.terms ?? []) {
    const head = [
      el('code', { class: 'term' }, t.term),
      t.target ? [' → ', el('span', { class: 'target' }, t.target)] : '',
      ' ', el('span', { class: `outcome out-${t.outcome}` }, OUTCOME_WORD[t.outcome] ?? t.outcome),
      t.note ? [' — ', el('span', { class: 'note' }, t.note)] : '',
      t.outcome !== 'not_reached'
        ? el('span', { class: 'counters' }, ` DNS ${t.dns_terms}/${limits.dns} · void ${t.void_lookups}/${limits.void}`) : '',
    ];
    const inner = [];
    if (t.queries?.length) inner.push(el('ul', { class: 'queries' }, t.queries.map(queryItem)));
    if (t.child) inner.push(checkNode(t.child, limits, true));
    items.push(inner.length
      ? el('li', { class: `term-item out-${t.outcome}` }, el('details', { open: true }, el('summary', {}, head), inner))
      : el('li', { class: `term-item out-${t.outcome}` }, head));
  }
  if (c.note) items.push(el('li', { class: 'note' }, '⇒ ', c.note));
  return el('details', { class: 'check', open },
    el('summary', {}, 'check_host(', el('span', { class: 'domain' }, c.domain), ') = ', badge(c.result)),
    el('ul', {}, items));
}

function traceBlock(v) {
  const t = v.trace;
  const limits = { dns: t.dns_term_limit, void: t.void_limit };
  return el('div', { class: 'trace-block' },
    el('h4', {}, IDENTITY[v.identity] ?? v.identity, ' ', badge(v.result)),
    el('p', { class: 'counters' },
      `DNS-querying terms ${t.dns_terms}/${t.dns_term_limit} · void lookups ${t.void_lookups}/${t.void_limit} · DNS queries ${t.queries}`),
    checkNode(t.root, limits, true),
    t.explanation_queries?.length ? el('ul', { class: 'queries' }, el('li', {}, 'explanation:'), t.explanation_queries.map(queryItem)) : '');
}

const ACTION_WORD = { reject: 'rejected', defer: 'deferred', prepend: 'accepted', dunno: 'accepted', result_only: 'accepted' };

function renderVerdict(p) {
  const d = p.decision;
  $('verdict').replaceChildren(
    el('p', { class: `verdict act-${d.action}` }, el('strong', {}, ACTION_WORD[d.action] ?? d.action), ': ', el('code', { id: 'action-line' }, d.line)),
    d.setting ? el('p', {}, 'Because of ', el('code', {}, d.setting)) : '',
    p.changed.length ? el('p', { class: 'hint' }, 'Settings changed from policyd-spf defaults: ', p.changed.join('; ')) : '',
    d.steps?.length ? el('ol', { class: 'steps' }, d.steps.map((s) => el('li', {}, s))) : '',
  );
  const cmp = p.comparison;
  const current = { HELO_reject: p.policy.HELO_reject, Mail_From_reject: p.policy.Mail_From_reject };
  const rows = [];
  for (const [option, list] of [['HELO_reject', cmp.helo_reject], ['Mail_From_reject', cmp.mail_from_reject]]) {
    for (const m of list) {
      const isCurrent = current[option] === m.mode;
      rows.push(el('tr', { class: isCurrent ? 'current' : '', 'data-option': option, 'data-mode': m.mode, 'aria-current': isCurrent ? 'true' : false },
        el('th', { scope: 'row' }, `${option} = ${m.mode}`),
        el('td', { class: `act-${m.decision.action}` }, ACTION_WORD[m.decision.action] ?? m.decision.action),
        el('td', {}, el('code', {}, m.decision.line))));
    }
  }
  $('mode-table').replaceChildren(
    el('caption', {}, 'What each mode would do (the other settings unchanged)'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Setting'), el('th', { scope: 'col' }, 'Outcome'), el('th', { scope: 'col' }, 'Postfix action'))),
    el('tbody', {}, rows),
    el('tfoot', {}, el('tr', {}, el('td', { colspan: 3 }, cmp.helo_summary)), el('tr', {}, el('td', { colspan: 3 }, cmp.mail_from_summary))));
  $('headers').textContent = p.headers.text.join('\n');
}

function render(out) {
  $('helo-result').replaceChildren(...identityCard(out.helo, 'helo-result'));
  $('mailfrom-result').replaceChildren(...identityCard(out.mailFrom, 'mailfrom-result'));
  renderVerdict(out.policy);
  $('trace').replaceChildren(traceBlock(out.helo), traceBlock(out.mailFrom));
  $('results').hidden = false;
}

function findingsList(lint) {
  return el('ul', { class: 'findings' }, lint.findings.map((f) => el('li', { class: `lvl-${f.level}` }, el('strong', {}, f.level), ` ${f.message}`)));
}

// ---- actions ---------------------------------------------------------------------

function setStatus(id, text, isError = false) {
  const s = $(id);
  s.textContent = text;
  s.classList.toggle('error', isError);
  if (isError) s.setAttribute('role', 'alert'); else s.setAttribute('role', 'status');
}

async function runCheck() {
  saveState();
  const input = {
    ip: $('ip').value.trim(), helo: $('helo').value.trim(), mailFrom: $('mail-from').value.trim(),
    policy: policyInput(), ...common(),
  };
  $('check-btn').disabled = true;
  setStatus('status', 'Checking…');
  try {
    const out = await evaluate(input);
    render(out);
    setStatus('status', `Done: HELO ${out.helo.result}, MAIL FROM ${out.mailFrom.result} (${out.exchanges.length} DNS queries).`);
  } catch (e) {
    setStatus('status', e instanceof Error ? e.message : String(e), true);
  } finally {
    $('check-btn').disabled = false;
  }
}

async function runRecord() {
  saveState();
  const input = { domain: $('rec-domain').value.trim(), ip: $('rec-ip').value.trim(), record: $('rec-text').value, ...common() };
  $('rec-btn').disabled = true;
  setStatus('rec-status', 'Testing…');
  try {
    const out = await checkRecord(input);
    $('rec-result').replaceChildren(
      findingsList(out.lint),
      el('div', { class: 'identity' }, ...identityCard(out.check, 'rec-card')),
      traceBlock(out.check));
    setStatus('rec-status', `Result: ${out.check.result}.`);
  } catch (e) {
    setStatus('rec-status', e instanceof Error ? e.message : String(e), true);
  } finally {
    $('rec-btn').disabled = false;
  }
}

async function main() {
  await init();
  const opts = policyOptions();
  $('helo-reject').replaceChildren(...opts.heloReject.map((m) => el('option', { value: m }, m)));
  $('mail-from-reject').replaceChildren(...opts.mailFromReject.map((m) => el('option', { value: m }, m)));
  $('helo-reject').value = opts.defaults.HELO_reject;
  $('mail-from-reject').value = opts.defaults.Mail_From_reject;
  const p = loadState();
  $('add-override').addEventListener('click', () => { $('whatif').open = true; addOverride().querySelector('.ov-name').focus(); });
  $('check-form').addEventListener('submit', (e) => { e.preventDefault(); runCheck(); });
  $('record-form').addEventListener('submit', (e) => { e.preventDefault(); runRecord(); });
  $('rec-text').addEventListener('input', () => {
    const text = $('rec-text').value.trim();
    if (text) $('rec-result').replaceChildren(findingsList(parseRecord(text)));
  });
  document.body.dataset.ready = 'true';
  if (p.get('ip') && p.get('helo')) runCheck();
}

main().catch((e) => setStatus('status', `Could not start: ${e instanceof Error ? e.message : e}`, true));
