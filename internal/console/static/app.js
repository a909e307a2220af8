// dxlocal console: reads the admin API under /_dxlocal/ (and, for one resource's own answer,
// the AWS JSON API on "/") from the same origin. Plain modern JavaScript, no build step, no
// library, nothing from the internet. Every page is index.html; this script picks the page
// from location.pathname.
'use strict';

const UI = '/_dxlocal/ui/';
const ADMIN = '/_dxlocal/';
// How many rows the resources table and the activity feed keep in the DOM at most: the page
// stays fast with 10,000 resources and a feed that runs for hours.
const MAX_TABLE_ROWS = 500;
const MAX_FEED_ROWS = 300;
// DEFAULT_ACCOUNT_KEY is an access key id that is not an account id: dxlocal answers it as
// its default account.
const DEFAULT_ACCOUNT_KEY = 'console';
const accountName = (a) => (a === DEFAULT_ACCOUNT_KEY ? 'the default account' : a);

// ---------- small helpers ----------

// h builds an element: h('a', {href: '/x', class: 'y'}, 'text', child). Text is always text
// (never parsed as HTML), so ids and names from the API cannot inject markup.
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

const enc = encodeURIComponent;

// put replaces el's children, skipping the null and false that conditional parts leave.
function put(el, ...kids) {
  el.replaceChildren(...kids.flat(Infinity).filter((k) => k !== undefined && k !== null && k !== false));
}
const main = () => document.getElementById('main');

function setStatus(text, isError) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.classList.toggle('error', !!isError);
}

// Missing is an admin endpoint that this dxlocal does not have (it answered 404): the page
// says so instead of failing.
class Missing extends Error {
  constructor(what) {
    super(what + ' is not available on this dxlocal (it answered 404).');
    this.what = what;
  }
}

// admin calls the admin API. Writes send JSON with its content type (required for admin
// writes). A 404 on an endpoint that must exist in full becomes Missing; an unknown id on an
// endpoint that exists (its 404 message is not the router's "no admin call") stays an error
// with status 404.
async function admin(path, {method = 'GET', body, signal} = {}) {
  const init = {method, headers: {Accept: 'application/json'}, signal};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const msg = (data && data.message) || `${method} ${path} answered HTTP ${res.status}`;
    if (res.status === 404 && (msg.startsWith('no admin call') || !data)) {
      throw new Missing(`${method} ${path.split('?')[0]}`);
    }
    const e = new Error(msg);
    e.status = res.status;
    throw e;
  }
  return data;
}

// aws calls the AWS JSON 1.1 API as account in region: the credential scope names them;
// dxlocal does not verify signatures.
async function aws(op, params, account, region) {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  const res = await fetch('/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'OvertureService.' + op,
      Authorization: `AWS4-HMAC-SHA256 Credential=${account}/${day}/${region}/directconnect/aws4_request, SignedHeaders=host;x-amz-target, Signature=console`,
    },
    body: JSON.stringify(params || {}),
  });
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) {
    throw new Error(`${op}: ${(data && data.__type) || 'HTTP ' + res.status}${data && data.message ? ': ' + data.message : ''}`);
  }
  return data;
}

function missingNote(err) {
  return h('p', {class: 'note missing', 'data-missing': err.what},
    '⚠ ', err.message, ' This part of the console needs it; the rest works without it.');
}

function failNote(err) {
  return h('p', {class: 'note missing', role: 'alert'}, '⚠ ', err.message);
}

const speedRank = {'1Gbps': 1, '10Gbps': 10, '100Gbps': 100, '400Gbps': 400};
const bySpeed = (a, b) => (speedRank[a] || 1e6) - (speedRank[b] || 1e6) || String(a).localeCompare(String(b));
const shortSpeed = (s) => String(s).replace('bps', '');

// ---------- states: colour, icon and word, never colour alone ----------

const PORT_STATES = {
  free: {cls: 'st-free', icon: '○', word: 'free'},
  conn: {cls: 'st-conn', icon: '●', word: 'connection'},
  icx: {cls: 'st-icx', icon: '◆', word: 'interconnect'},
  lag: {cls: 'st-lag', icon: '▣', word: 'LAG member'},
  down: {cls: 'st-down', icon: '✕', word: 'down'},
  held: {cls: 'st-held', icon: '■', word: 'held'},
};

// stateBadge shows a resource state as an icon and a word, coloured where it matters.
function stateBadge(state) {
  const s = String(state || 'unknown');
  let look = {cls: '', icon: '·'};
  if (s === 'available' || s === 'associated' || s === 'accepted') look = {cls: 'ok', icon: '✓'};
  else if (s === 'down' || s === 'rejected' || s === 'unknown') look = {cls: 'st-down', icon: '✕'};
  else if (s === 'deleted' || s === 'disassociated') look = {cls: '', icon: '–'};
  else look = {cls: '', icon: '…'};
  return h('span', {class: 'badge state ' + look.cls, 'data-state': s}, look.icon + ' ' + s);
}

// ---------- header: navigation, clock, reset ----------

let refreshPage = async () => {};

async function showClock() {
  const out = document.getElementById('clock-now');
  const btn = document.getElementById('advance-clock');
  try {
    const c = await admin(ADMIN + 'clock');
    out.textContent = c.now;
    out.setAttribute('datetime', c.now);
    btn.disabled = false;
    btn.removeAttribute('title');
  } catch (e) {
    out.textContent = e instanceof Missing ? 'not available' : 'error';
    if (e instanceof Missing) {
      btn.disabled = true;
      btn.title = 'GET /_dxlocal/clock answered 404 on this dxlocal';
    }
  }
}

// control runs one admin write from a button, says what happened and refreshes the view.
async function control(button, what, path, body) {
  button.disabled = true;
  setStatus(what + '…');
  try {
    await admin(path, {method: 'POST', body});
    setStatus(what + ': done.');
  } catch (e) {
    setStatus(what + ' failed: ' + e.message, true);
  } finally {
    button.disabled = false;
  }
  await Promise.all([refreshPage(), showClock()]);
}

function setupHeader(page) {
  for (const a of document.querySelectorAll('nav a[data-nav]')) {
    if (a.dataset.nav === page) a.setAttribute('aria-current', 'page');
  }
  const adv = document.getElementById('advance-clock');
  adv.addEventListener('click', () => {
    const by = document.getElementById('advance-by').value.trim() || '1h';
    control(adv, 'Advance the clock by ' + by, ADMIN + 'clock', {advance: by});
  });
  const reset = document.getElementById('reset');
  reset.addEventListener('click', () => control(reset, 'Reset the emulator', ADMIN + 'reset', {}));
  showClock();
}

// ---------- catalog ----------

// speedCounts gives a location's free and taken ports per speed: the catalog's own counts
// ("speeds": [{speed, free, taken}]) when it sends them, else counted from its port list.
function speedCounts(loc) {
  if (Array.isArray(loc.speeds) && loc.speeds.every((c) => c && typeof c.speed === 'string')) {
    return loc.speeds.map((c) => ({speed: c.speed, free: Number(c.free) || 0, taken: Number(c.taken) || 0}))
      .sort((a, b) => bySpeed(a.speed, b.speed));
  }
  const m = new Map();
  for (const ep of loc.endpoints || []) {
    for (const p of ep.ports || []) {
      let c = m.get(p.speed);
      if (!c) m.set(p.speed, c = {speed: p.speed, free: 0, taken: 0});
      if (p.heldBy) c.taken++; else c.free++;
    }
  }
  return [...m.values()].sort((a, b) => bySpeed(a.speed, b.speed));
}

function speedBar(c, named = true) {
  const total = c.free + c.taken;
  const fill = h('span');
  fill.style.width = (total ? (100 * c.taken / total) : 0).toFixed(1) + '%';
  return h('div', {class: 'speed', 'data-speed': c.speed},
    named ? h('span', {class: 'speed-name'}, shortSpeed(c.speed)) : null,
    h('span', {class: 'bar', role: 'img', 'aria-label': `${c.speed}: ${c.taken} taken, ${c.free} free of ${total}`}, fill),
    h('span', {class: 'counts'}, `${c.taken} taken · ${c.free} free`));
}

// ---------- page: overview ----------

async function overviewPage() {
  const cat = await admin(ADMIN + 'catalog');
  const locs = (cat.locations || []).map((l) => ({...l, counts: speedCounts(l)}));
  const regions = [...new Set(locs.map((l) => l.region))].sort();
  const allSpeeds = [...new Set(locs.flatMap((l) => l.counts.map((c) => c.speed)))].sort(bySpeed);
  const params = new URLSearchParams(location.search);
  const regionSel = h('select', {id: 'region-filter'},
    h('option', {value: ''}, `All regions (${regions.length})`),
    regions.map((r) => h('option', {value: r}, r)));
  regionSel.value = regions.includes(params.get('region')) ? params.get('region') : '';
  const text = h('input', {id: 'text-filter', type: 'search', placeholder: 'code or name', value: params.get('q') || ''});
  const list = h('div', {id: 'locations'});
  const summary = h('p', {class: 'note', id: 'overview-summary'});

  function draw() {
    const r = regionSel.value;
    const q = text.value.trim().toLowerCase();
    const shown = locs.filter((l) => (!r || l.region === r) &&
      (!q || l.code.toLowerCase().includes(q) || String(l.name || '').toLowerCase().includes(q)));
    const u = new URL(location.href);
    r ? u.searchParams.set('region', r) : u.searchParams.delete('region');
    q ? u.searchParams.set('q', q) : u.searchParams.delete('q');
    history.replaceState(null, '', u);
    let taken = 0, free = 0;
    const groups = new Map();
    for (const l of shown) {
      if (!groups.has(l.region)) groups.set(l.region, []);
      groups.get(l.region).push(l);
      for (const c of l.counts) { taken += c.taken; free += c.free; }
    }
    summary.textContent = `${shown.length} of ${locs.length} locations · ${taken} ports taken · ${free} free`;
    put(list, ...[...groups.keys()].sort().map((region) => {
      const rows = groups.get(region);
      return h('section', {class: 'region', 'data-region': region},
        h('h2', {}, region, h('span', {class: 'counts'}, ` · ${rows.length} location${rows.length === 1 ? '' : 's'}`)),
        h('table', {class: 'grid'},
          h('thead', {}, h('tr', {}, h('th', {scope: 'col', class: 'col-code'}, 'Location'), h('th', {scope: 'col', class: 'col-name'}, 'Name'),
            allSpeeds.map((sp) => h('th', {scope: 'col'}, sp + ' ports')))),
          h('tbody', {}, rows.map((l) => h('tr', {'data-location': l.code},
            h('th', {scope: 'row'}, h('a', {href: UI + 'locations/' + enc(l.code)}, l.code)),
            h('td', {}, l.name || ''),
            allSpeeds.map((sp) => {
              const c = l.counts.find((x) => x.speed === sp);
              return h('td', {}, c ? speedBar(c, false) : h('span', {class: 'note', 'aria-label': 'no ' + sp + ' ports'}, '—'));
            }))))));
    }));
    if (!shown.length) list.append(h('p', {class: 'note'}, 'No location matches the filters.'));
  }
  regionSel.addEventListener('change', draw);
  text.addEventListener('input', draw);
  put(main(), 
    h('h1', {}, 'Locations'),
    h('div', {class: 'filters'},
      h('label', {}, 'Region', regionSel),
      h('label', {}, 'Find', text)),
    summary, list);
  draw();
}

// ---------- resources (shared) ----------

// loadResources reads GET /_dxlocal/resources (with query filters); null when this dxlocal
// has no such endpoint yet, with the Missing error in .missing.
async function loadResources(query) {
  try {
    const r = await admin(ADMIN + 'resources' + (query ? '?' + query : ''));
    return {list: r.resources || [], missing: null};
  } catch (e) {
    if (e instanceof Missing) return {list: null, missing: e};
    throw e;
  }
}

// finishTarget is the state "finish now" moves a resource to from state, if it is passing.
function finishTarget(type, state) {
  const links = ['connection', 'hostedConnection', 'interconnect', 'lag'];
  if (links.includes(type) && (state === 'requested' || state === 'pending' || state === 'ordering')) return 'available';
  if (type === 'virtualInterface' && (state === 'verifying' || state === 'pending' || state === 'confirming')) return 'available';
  if (type === 'directConnectGateway' || type === 'gatewayAssociation' || type === 'associationProposal') {
    return {pending: 'available', associating: 'associated', updating: 'associated', disassociating: 'disassociated', deleting: 'deleted'}[state] || '';
  }
  return '';
}

// controlsFor gives the buttons that drive one resource (POST /_dxlocal/resources/{id}).
function controlsFor(rec) {
  const acts = [];
  const link = ['connection', 'hostedConnection', 'interconnect', 'lag'].includes(rec.type);
  if ((link || rec.type === 'virtualInterface') && rec.state === 'available') acts.push(['down', 'Link down', {state: 'down'}]);
  if ((link || rec.type === 'virtualInterface') && rec.state === 'down') acts.push(['up', 'Link up', {state: 'available'}]);
  const target = finishTarget(rec.type, rec.state);
  if (target) acts.push(['finish', `Finish now (→ ${target})`, {state: target}]);
  if (rec.hold) acts.push(['release', 'Release hold', {hold: false}]);
  else acts.push(['hold', 'Hold', {hold: true}]);
  return h('div', {class: 'controls', role: 'group', 'aria-label': 'Controls of ' + rec.id},
    acts.map(([action, label, body]) => {
      const b = h('button', {type: 'button', 'data-action': action, 'aria-label': `${label}: ${rec.id}`}, label);
      b.addEventListener('click', () => control(b, `${label} ${rec.id}`, ADMIN + 'resources/' + enc(rec.id), body));
      return b;
    }));
}

function arnOf(rec) {
  const kind = {connection: 'dxcon', hostedConnection: 'dxcon', interconnect: 'dxcon', lag: 'dxlag',
    virtualInterface: 'dxvif', directConnectGateway: 'dx-gateway'}[rec.type];
  if (!kind) return '';
  const region = rec.type === 'directConnectGateway' ? '' : rec.region;
  return `arn:aws:directconnect:${region}:${rec.ownerAccount}:${kind}/${rec.id}`;
}

// describeCall is the AWS call that answers for one resource, by its admin type.
function describeCall(rec) {
  switch (rec.type) {
    case 'connection': case 'hostedConnection': return ['DescribeConnections', {connectionId: rec.id}];
    case 'interconnect': return ['DescribeInterconnects', {interconnectId: rec.id}];
    case 'lag': return ['DescribeLags', {lagId: rec.id}];
    case 'virtualInterface': return ['DescribeVirtualInterfaces', {virtualInterfaceId: rec.id}];
    case 'directConnectGateway': return ['DescribeDirectConnectGateways', {directConnectGatewayId: rec.id}];
    case 'gatewayAssociation': return ['DescribeDirectConnectGatewayAssociations', {associationId: rec.id}];
    case 'associationProposal': return ['DescribeDirectConnectGatewayAssociationProposals', {proposalId: rec.id}];
    default: return null;
  }
}

// ---------- page: one location ----------

async function locationPage(code) {
  const cat = await admin(ADMIN + 'catalog?location=' + enc(code));
  // Codes are matched as the API matches them: exactly first, else ignoring case.
  const locs = cat.locations || [];
  const loc = locs.find((l) => l.code === code) || locs.find((l) => l.code.toLowerCase() === code.toLowerCase());
  if (!loc) {
    put(main(), h('h1', {}, code), h('p', {class: 'note missing'}, `The catalog has no location ${code}.`));
    return;
  }
  const ports = [];
  for (const ep of loc.endpoints || []) for (const p of ep.ports || []) ports.push(p);
  const holderIds = new Set(ports.filter((p) => p.heldBy).map((p) => p.heldBy));

  // Who holds what: the resources of the region, then each holding account's LAGs at this
  // location (one DescribeLags per account, not one call per port).
  const res = await loadResources('region=' + enc(loc.region));
  const recs = new Map();
  for (const r of res.list || []) if (holderIds.has(r.id)) recs.set(r.id, r);
  const portsTell = ports.some((p) => p.heldBy && p.holderType);
  if (res.missing && !portsTell && holderIds.size) {
    // Degraded: the default account's own connections and interconnects, from the AWS API.
    const [c, i] = await Promise.allSettled([
      aws('DescribeConnections', {}, DEFAULT_ACCOUNT_KEY, loc.region),
      aws('DescribeInterconnects', {}, DEFAULT_ACCOUNT_KEY, loc.region)]);
    for (const x of c.value?.connections || []) {
      if (holderIds.has(x.connectionId)) recs.set(x.connectionId, {id: x.connectionId, type: 'connection', ownerAccount: x.ownerAccount, region: loc.region, state: x.connectionState, fromAws: true});
    }
    for (const x of i.value?.interconnects || []) {
      if (holderIds.has(x.interconnectId)) recs.set(x.interconnectId, {id: x.interconnectId, type: 'interconnect', ownerAccount: x.ownerAccount || DEFAULT_ACCOUNT_KEY, region: loc.region, state: x.interconnectState, fromAws: true});
    }
  }
  const accounts = new Set();
  for (const p of ports) {
    if (!p.heldBy) continue;
    // When the catalog says which ports are LAG members, only their owners' LAGs are read
    // (for their names and states); otherwise every holder's account is asked.
    if (portsTell && !p.holderLagId) continue;
    const acct = recs.get(p.heldBy)?.ownerAccount || p.holderAccount;
    if (acct) accounts.add(acct);
  }
  // Without the resources endpoint the holders' accounts are unknown; a key that is not 12
  // digits makes the AWS API answer as the default account, whose LAGs are then shown.
  if (res.missing && !portsTell && holderIds.size) accounts.add(DEFAULT_ACCOUNT_KEY);
  const lagOf = new Map(); // member id -> lag
  const lagErrors = [];
  await Promise.all([...accounts].map(async (acct) => {
    try {
      const out = await aws('DescribeLags', {}, acct, loc.region);
      for (const lag of out.lags || []) {
        if (lag.location !== loc.code) continue;
        for (const m of lag.connections || []) lagOf.set(m.connectionId, {...lag, member: m});
      }
    } catch (e) { lagErrors.push(e.message); }
  }));

  // What holds a port, from the best source there is: the resource record, the catalog's
  // holder fields, the LAG's own answer.
  const info = (p) => {
    const rec = p.heldBy ? recs.get(p.heldBy) : null;
    const lag = p.heldBy ? (lagOf.get(p.heldBy) || (p.holderLagId ? {lagId: p.holderLagId} : null)) : null;
    const account = rec?.ownerAccount || p.holderAccount || lag?.ownerAccount || '';
    const state = rec?.state || lag?.member?.connectionState || '';
    const type = rec?.type || p.holderType || (lag ? 'connection' : '');
    let kind = 'free';
    if (p.heldBy) {
      if (state === 'down') kind = 'down';
      else if (lag) kind = 'lag';
      else if (type === 'interconnect') kind = 'icx';
      else if (type) kind = 'conn';
      else kind = 'held';
    }
    return {rec, lag, account, state, type, kind};
  };

  const detail = h('aside', {class: 'detail', id: 'port-detail', 'aria-live': 'polite'},
    h('h2', {}, 'Port'), h('p', {class: 'note'}, 'Choose a port to see who holds it and what rides on it.'));
  let pressed = null;
  // Remember the chosen port across a refresh (after a control), so its panel stays open.
  const chosen = selectedPort;

  function portButton(p, idx, device) {
    const i = info(p);
    const look = PORT_STATES[i.kind];
    const name = `${shortSpeed(p.speed)} #${idx}`;
    const title = p.heldBy
      ? `${name} · ${look.word} · ${p.heldBy}` + (i.account ? ` · account ${accountName(i.account)}` : '') + (i.lag ? ` · LAG ${i.lag.lagId}` : '') + (i.state ? ` · ${i.state}` : '')
      : `${name} · free${p.macSec ? ' · MACsec' : ''}`;
    const b = h('button', {type: 'button', class: 'port ' + look.cls, title, 'aria-pressed': 'false',
      'data-kind': i.kind, 'data-holder': p.heldBy || null, 'data-speed': p.speed},
    h('span', {class: 'port-name'}, name),
    h('span', {class: 'port-state'}, h('span', {'aria-hidden': 'true'}, look.icon + ' '), look.word),
    p.heldBy ? h('span', {class: 'port-holder'}, p.heldBy) : null);
    b.dataset.port = `${device}/${p.speed}/${idx}`;
    b.addEventListener('click', () => {
      selectedPort = b.dataset.port;
      if (pressed) pressed.setAttribute('aria-pressed', 'false');
      b.setAttribute('aria-pressed', 'true');
      pressed = b;
      showPort(p, name, i);
    });
    return b;
  }

  async function showPort(p, name, i) {
    const rows = [['Port', `${name} (${p.speed})`], ['MACsec', p.macSec ? 'capable' : 'no']];
    if (!p.heldBy) {
      put(detail, h('h2', {}, name), kv(rows.concat([['State', 'free']])));
      return;
    }
    rows.push(['Held by', h('a', {href: UI + 'resources/' + enc(p.heldBy)}, p.heldBy)]);
    rows.push(['Type', i.type || 'unknown']);
    rows.push(['Owner account', i.account ? accountName(i.account) : 'unknown']);
    rows.push(['State', i.state ? stateBadge(i.state) : 'unknown']);
    if (i.rec && !i.rec.fromAws) rows.push(['Hold', i.rec.hold ? 'held where it is' : 'no']);
    rows.push(['LAG', i.lag ? i.lag.lagId + (i.lag.lagState ? ` (“${i.lag.lagName || ''}”, ${i.lag.lagState})` : '') : 'none']);
    const riding = h('div', {id: 'riding'}, h('p', {class: 'note'}, 'Loading what rides on this port…'));
    put(detail, h('h2', {}, name), kv(rows),
      i.rec && !i.rec.fromAws ? controlsFor(i.rec) : (res.missing ? missingNote(res.missing) : null),
      h('h3', {}, 'Riding on it'), riding);
    if (!i.account) {
      put(riding, h('p', {class: 'note'}, 'Unknown owner account: cannot ask the AWS API.'));
      return;
    }
    const parent = i.lag ? [p.heldBy, i.lag.lagId] : [p.heldBy];
    const parts = [];
    for (const id of parent) {
      // Hosted connections ride on interconnects and LAGs only, never on a dedicated connection.
      const canHost = i.type === 'interconnect' || id.startsWith('dxlag-');
      const [vifs, hosted] = await Promise.allSettled([
        aws('DescribeVirtualInterfaces', {connectionId: id}, i.account, loc.region),
        canHost ? aws('DescribeHostedConnections', {connectionId: id}, i.account, loc.region) : null,
      ]);
      parts.push(h('p', {class: 'note'}, 'On ' + id + ':'));
      parts.push(listOf('Virtual interfaces', vifs, (v) => v.virtualInterfaces, (v) => `${v.virtualInterfaceId} · ${v.virtualInterfaceType} · VLAN ${v.vlan} · ${v.virtualInterfaceState} · account ${v.ownerAccount}`, (v) => v.virtualInterfaceId));
      if (canHost) parts.push(listOf('Hosted connections', hosted, (v) => v.connections, (c) => `${c.connectionId} · ${c.bandwidth} · VLAN ${c.vlan} · ${c.connectionState} · account ${c.ownerAccount}`, (c) => c.connectionId));
    }
    put(riding, ...parts);
  }

  const counts = speedCounts(loc);
  const endpoints = (loc.endpoints || []).map((ep) => {
    const idx = new Map();
    const buttons = (ep.ports || []).map((p) => {
      const n = (idx.get(p.speed) || 0) + 1;
      idx.set(p.speed, n);
      return {p, b: portButton(p, n, ep.device)};
    });
    // LAGs as groups of ports on their one endpoint, in port order; the other ports after.
    const groups = new Map();
    const loose = [];
    for (const x of buttons) {
      const lag = x.p.heldBy && info(x.p).lag;
      if (lag) {
        if (!groups.has(lag.lagId)) groups.set(lag.lagId, {lag, items: []});
        groups.get(lag.lagId).items.push(x.b);
      } else loose.push(x.b);
    }
    const taken = (ep.ports || []).filter((p) => p.heldBy).length;
    return h('section', {class: 'endpoint', 'data-device': ep.device},
      h('h2', {}, ep.device, h('span', {class: 'counts'}, ` · ${taken} taken · ${(ep.ports || []).length - taken} free`)),
      groups.size ? h('div', {class: 'ports lags'},
        [...groups.values()].map(({lag, items}) => h('div', {class: 'lag-group', role: 'group', 'data-lag': lag.lagId,
          'aria-label': `LAG ${lag.lagId}, ${items.length} port${items.length === 1 ? '' : 's'}`},
        h('span', {class: 'lag-caption'}, `▣ LAG ${lag.lagId}${lag.lagName ? ' “' + lag.lagName + '”' : ''}${lag.lagState ? ' · ' + lag.lagState : ''} · ${items.length} port${items.length === 1 ? '' : 's'} here`),
        items))) : null,
      h('div', {class: 'ports'}, loose));
  });

  put(main(), 
    h('p', {}, h('a', {href: UI + '?region=' + enc(loc.region)}, '← ' + loc.region)),
    h('h1', {}, loc.code, h('span', {class: 'counts'}, ' · ' + (loc.name || '') + ' · ' + loc.region)),
    h('div', {class: 'speeds'}, counts.map((c) => speedBar(c))),
    h('ul', {class: 'legend', 'aria-label': 'Port states'},
      Object.values(PORT_STATES).map((s) => h('li', {class: s.cls}, h('span', {'aria-hidden': 'true'}, s.icon + ' '), s.word))),
    res.missing ? missingNote(res.missing) : null,
    lagErrors.length ? h('p', {class: 'note missing'}, 'LAGs could not be read: ' + lagErrors.join('; ')) : null,
    h('div', {class: 'layout'}, h('div', {class: 'endpoints'}, endpoints), detail));
  if (chosen) main().querySelector(`button.port[data-port="${CSS.escape(chosen)}"]`)?.click();
}

let selectedPort = '';

function kv(rows) {
  return h('dl', {class: 'kv'}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function listOf(title, settled, pick, line, key) {
  if (settled.status === 'rejected') return h('p', {class: 'note'}, `${title}: not available (${settled.reason.message})`);
  const items = pick(settled.value) || [];
  return h('div', {class: 'riding-list'},
    h('strong', {}, `${title} (${items.length})`),
    items.length ? h('ul', {}, items.map((x) => h('li', {}, h('a', {href: UI + 'resources/' + enc(key(x))}, line(x))))) : h('p', {class: 'note'}, 'none'));
}

// ---------- page: resources ----------

async function resourcesPage() {
  const res = await loadResources('');
  if (res.missing) {
    put(main(), h('h1', {}, 'Resources'), missingNote(res.missing));
    return;
  }
  const list = res.list;
  const params = new URLSearchParams(location.search);
  const filters = ['account', 'region', 'type', 'state'].map((field) => {
    const key = field === 'account' ? 'ownerAccount' : field;
    const values = [...new Set(list.map((r) => r[key]))].sort();
    const sel = h('select', {id: field + '-filter', 'data-field': key},
      h('option', {value: ''}, `every ${field} (${values.length})`),
      values.map((v) => h('option', {value: v}, v)));
    if (values.includes(params.get(field))) sel.value = params.get(field);
    return {field, key, sel};
  });
  const text = h('input', {id: 'id-filter', type: 'search', placeholder: 'id', value: params.get('q') || ''});
  const tbody = h('tbody');
  const summary = h('p', {class: 'note', id: 'resources-summary'});
  function draw() {
    const q = text.value.trim().toLowerCase();
    const u = new URL(location.href);
    for (const f of filters) f.sel.value ? u.searchParams.set(f.field, f.sel.value) : u.searchParams.delete(f.field);
    q ? u.searchParams.set('q', q) : u.searchParams.delete('q');
    history.replaceState(null, '', u);
    const shown = list.filter((r) => filters.every((f) => !f.sel.value || r[f.key] === f.sel.value) && (!q || r.id.toLowerCase().includes(q)));
    summary.textContent = shown.length > MAX_TABLE_ROWS
      ? `${shown.length} of ${list.length} resources match; the first ${MAX_TABLE_ROWS} are shown: narrow the filters to see the others.`
      : `${shown.length} of ${list.length} resources.`;
    put(tbody, ...shown.slice(0, MAX_TABLE_ROWS).map((r) => h('tr', {'data-id': r.id},
      h('th', {scope: 'row'}, h('a', {href: UI + 'resources/' + enc(r.id)}, r.id)),
      h('td', {}, r.type), h('td', {}, r.ownerAccount), h('td', {}, r.region),
      h('td', {}, stateBadge(r.state)), h('td', {}, r.hold ? '⏸ held' : ''))));
  }
  for (const f of filters) f.sel.addEventListener('change', draw);
  text.addEventListener('input', draw);
  put(main(), h('h1', {}, 'Resources'),
    h('div', {class: 'filters'}, filters.map((f) => h('label', {}, f.field[0].toUpperCase() + f.field.slice(1), f.sel)), h('label', {}, 'Id', text)),
    summary,
    h('table', {id: 'resources'},
      h('thead', {}, h('tr', {}, ['Id', 'Type', 'Account', 'Region', 'State', 'Hold'].map((c) => h('th', {scope: 'col'}, c)))),
      tbody));
  draw();
}

// ---------- page: one resource ----------

async function resourcePage(id) {
  let rec;
  try {
    rec = await admin(ADMIN + 'resources/' + enc(id));
  } catch (e) {
    if (e instanceof Missing) {
      put(main(), h('h1', {}, id), missingNote(e));
      return;
    }
    put(main(), h('h1', {}, id), failNote(e));
    return;
  }
  const answer = h('div', {id: 'aws-answer'}, h('p', {class: 'note'}, 'Asking the AWS API…'));
  const tags = h('div', {id: 'tags'}, h('p', {class: 'note'}, 'Loading tags…'));
  const events = h('div', {id: 'events'}, h('p', {class: 'note'}, 'Loading journal events…'));
  put(main(), 
    h('p', {}, h('a', {href: UI + 'resources'}, '← Resources')),
    h('h1', {}, rec.id),
    kv([['Type', rec.type], ['Owner account', rec.ownerAccount], ['Region', rec.region], ['State', stateBadge(rec.state)], ['Hold', rec.hold ? 'held where it is' : 'no']]),
    controlsFor(rec),
    h('h2', {}, 'What the AWS API answers'), answer,
    h('h2', {}, 'Tags'), tags,
    h('h2', {}, 'Recent journal events'), events);

  const call = describeCall(rec);
  const arn = arnOf(rec);
  await Promise.all([
    (async () => {
      if (!call) { put(answer, h('p', {class: 'note'}, 'No Describe call answers for a ' + rec.type + '.')); return; }
      try {
        const out = await aws(call[0], call[1], rec.ownerAccount, rec.region);
        // The first listed object is the resource; its location leads to its ports.
        const first = Object.values(out || {}).find(Array.isArray)?.[0];
        put(answer,
          first?.location ? h('p', {}, 'Its ports: ', h('a', {href: UI + 'locations/' + enc(first.location), id: 'location-link'}, first.location)) : null,
          h('p', {class: 'note'}, `${call[0]} ${JSON.stringify(call[1])} as ${rec.ownerAccount} in ${rec.region}:`),
          h('pre', {class: 'json'}, JSON.stringify(out, null, 2)));
      } catch (e) { put(answer, failNote(e)); }
    })(),
    (async () => {
      if (!arn) { put(tags, h('p', {class: 'note'}, 'A ' + rec.type + ' has no tags.')); return; }
      try {
        const out = await aws('DescribeTags', {resourceArns: [arn]}, rec.ownerAccount, rec.region);
        const list = out.resourceTags?.[0]?.tags || [];
        put(tags, list.length
          ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Key'), h('th', {scope: 'col'}, 'Value'))),
            h('tbody', {}, list.map((t) => h('tr', {}, h('td', {}, t.key), h('td', {}, t.value ?? '')))))
          : h('p', {class: 'note'}, 'No tags.'));
      } catch (e) { put(tags, failNote(e)); }
    })(),
    (async () => {
      try {
        const out = await admin(ADMIN + 'journal?resource=' + enc(rec.id) + '&limit=10000');
        const evs = (out.events || []).slice(-50).reverse();
        put(events, evs.length ? feedTable(evs) : h('p', {class: 'note'}, 'No events.'));
      } catch (e) { put(events, e instanceof Missing ? missingNote(e) : failNote(e)); }
    })(),
  ]);
}

// ---------- page: activity ----------

function isError(ev) {
  return ev.kind === 'call' && (!!ev.errorType || Number(ev.status) >= 400);
}

function feedRow(ev) {
  const err = isError(ev);
  const what = ev.kind === 'call'
    ? [h('strong', {}, ev.operation || '?'), (ev.resourceIds || []).map((id) => [' ', h('a', {href: UI + 'resources/' + enc(id)}, id)])]
    : [h('a', {href: UI + 'resources/' + enc(ev.resourceId)}, ev.resourceId), ` ${ev.type || ''}: ${ev.from || '∅'} → ${ev.to} (${ev.cause})`];
  const outcome = ev.kind === 'call'
    ? (err ? `⚠ ${ev.status} ${ev.errorType || 'error'}` : `✓ ${ev.status}`)
    : '↻ change';
  return h('tr', {class: err ? 'err' : '', 'data-seq': ev.seq, 'data-kind': ev.kind},
    h('td', {class: 'mono'}, ev.seq), h('td', {}, h('time', {datetime: ev.time}, ev.time)),
    h('td', {}, ev.account || ''), h('td', {}, ev.region || ''), h('td', {}, what), h('td', {}, outcome));
}

function feedTable(evs, tbodyId) {
  return h('table', {class: 'feed'},
    h('thead', {}, h('tr', {}, ['#', 'Time', 'Account', 'Region', 'What', 'Outcome'].map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {id: tbodyId || null}, evs.map(feedRow)));
}

async function activityPage() {
  let first;
  try {
    // A filter that matches nothing answers at once, with "last" at the journal's end.
    first = await admin(ADMIN + 'journal?resource=-');
  } catch (e) {
    put(main(), h('h1', {}, 'Activity'), e instanceof Missing ? missingNote(e) : failNote(e));
    return;
  }
  let after = Math.max(0, (Number(first.last) || 0) - 100);
  const table = feedTable([], 'feed');
  const tbody = table.querySelector('tbody');
  let paused = false;
  const pause = h('button', {type: 'button', id: 'pause-feed', 'aria-pressed': 'false'}, 'Pause feed');
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume feed' : 'Pause feed';
    pause.setAttribute('aria-pressed', String(paused));
  });
  const live = h('p', {class: 'note', id: 'feed-state'}, 'Live: waiting for events.');
  document.body.dataset.ready = 'true';
  put(main(), h('h1', {}, 'Activity'),
    h('div', {class: 'filters'}, pause, live,
      h('span', {class: 'note'}, `Newest first; the page keeps the latest ${MAX_FEED_ROWS} rows.`)),
    table);
  // The feed is the page: the header's controls need not redraw it.
  refreshPage = async () => {};
  for (;;) {
    if (paused) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      const out = await admin(ADMIN + `journal?after=${after}&limit=${MAX_FEED_ROWS}&wait=10s`);
      const evs = out.events || [];
      for (const ev of evs) {
        tbody.prepend(feedRow(ev));
        after = Math.max(after, Number(ev.seq) || 0);
      }
      // "last" is where to read on from: past the events answered, or past what the wait saw.
      if (typeof out.last === 'number') after = Math.max(after, out.last);
      while (tbody.rows.length > MAX_FEED_ROWS) tbody.lastElementChild.remove();
      live.textContent = `Live: ${tbody.rows.length} rows, last #${after}.`;
    } catch (e) {
      live.textContent = 'Feed interrupted: ' + e.message + ' Retrying…';
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

// ---------- start ----------

function route(path) {
  const rest = path.startsWith(UI) ? path.slice(UI.length) : '';
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return ['overview', overviewPage];
  if (parts[0] === 'locations' && parts.length === 2) return ['overview', () => locationPage(parts[1])];
  if (parts[0] === 'resources' && parts.length === 1) return ['resources', resourcesPage];
  if (parts[0] === 'resources' && parts.length === 2) return ['resources', () => resourcePage(parts[1])];
  if (parts[0] === 'activity' && parts.length === 1) return ['activity', activityPage];
  return ['', async () => put(main(), h('h1', {}, 'Not found'), h('p', {}, 'The console has no page ' + path + '. ', h('a', {href: UI}, 'Locations')))];
}

async function start() {
  const [name, page] = route(location.pathname);
  setupHeader(name);
  refreshPage = async () => {
    try {
      await page();
    } catch (e) {
      put(main(), e instanceof Missing ? missingNote(e) : failNote(e));
    }
    document.body.dataset.ready = 'true';
  };
  await refreshPage();
}

start();
