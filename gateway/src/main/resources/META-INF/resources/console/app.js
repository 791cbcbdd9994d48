// peftflow console: a small single-page app over the gateway's /v1 API. The API key stays in this tab's
// sessionStorage and goes out as 'Authorization: Bearer'; pages appear only for the APIs the gateway's
// merged OpenAPI document lists (a service that is not deployed has no page).
'use strict';

const KEY = 'peftflow.apiKey';
const main = document.getElementById('main');
const PAGES = [
  {id: 'datasets', title: 'Datasets', path: '/v1/datasets'},
  {id: 'jobs', title: 'Jobs', path: '/v1/fine-tuning/jobs'},
  {id: 'adapters', title: 'Registry', path: '/v1/adapters'},
];
let stream = null;
let charts = [];

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) el.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return el;
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: {...(options.headers || {}), Authorization: 'Bearer ' + sessionStorage.getItem(KEY)},
  });
  if (response.status === 401 && path !== '/v1/me') {
    signOut('Your key was refused (revoked?). Sign in again.');
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}

const json = async (path, options) => (await api(path, options)).json();

function signOut(message) {
  sessionStorage.removeItem(KEY);
  location.hash = '';
  render(message);
}

function clear() {
  if (stream) stream.abort();
  stream = null;
  charts.forEach(c => c.destroy());
  charts = [];
  main.replaceChildren();
}

function errorBox(e) {
  const box = h('div', {class: 'error', role: 'alert'}, e.message);
  const errors = e.problem && e.problem.errors;
  if (errors && errors.length) {
    box.append(h('ul', {class: 'rejected'}, errors.map(x => h('li', {}, `line ${x.line}: ${x.reason}`))));
  }
  return box;
}

function signInPage(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  const input = h('input', {id: 'api-key', type: 'password', placeholder: 'pfk_…', autocomplete: 'off'});
  const status = h('div', {class: 'error', id: 'sign-in-error'}, message || '');
  main.append(h('div', {class: 'card signin'},
    h('h1', {}, 'Sign in'),
    h('p', {class: 'muted'}, 'Paste the API key your administrator created for your tenant (./peftflow keys create <tenant>).'),
    h('form', {id: 'sign-in', onsubmit: async ev => {
      ev.preventDefault();
      sessionStorage.setItem(KEY, input.value.trim());
      try {
        await json('/v1/me');
        location.hash = '#/datasets';
        render();
      } catch (e) {
        sessionStorage.removeItem(KEY);
        status.textContent = e.status === 401 ? 'This key is not valid.' : e.message;
      }
    }}, input, h('button', {type: 'submit'}, 'Sign in')),
    status));
}

async function shell() {
  const me = await json('/v1/me');
  const doc = await (await fetch('/v1/openapi.json')).json();
  const paths = Object.keys(doc.paths || {});
  const available = PAGES.filter(p => paths.some(x => x === p.path || x.startsWith(p.path + '/')));
  const nav = document.getElementById('nav');
  const page = (location.hash.split('/')[1] || 'datasets');
  nav.replaceChildren(...available.map(p => h('a', {href: '#/' + p.id, id: 'nav-' + p.id, class: p.id === page ? 'active' : ''}, p.title)),
    h('a', {href: 'q/swagger-ui/', target: '_blank'}, 'API'));
  nav.hidden = false;
  document.getElementById('who').textContent = `tenant ${me.tenant} · key ${me.key.name}`;
  const out = document.getElementById('sign-out');
  out.hidden = false;
  out.onclick = () => signOut();
  return available;
}

async function render(message) {
  clear();
  if (!sessionStorage.getItem(KEY)) {
    signInPage(message);
    return;
  }
  try {
    const available = await shell();
    const [, page, ...rest] = location.hash.split('/');
    const views = {
      datasets: rest.length ? datasetPage : datasetsPage,
      jobs: rest.length ? jobPage : jobsPage,
      adapters: rest.length ? adapterPage : adaptersPage,
    };
    const view = available.some(p => p.id === page) ? views[page] : datasetsPage;
    await view(...rest.map(decodeURIComponent));
  } catch (e) {
    main.append(errorBox(e));
  }
}

// ---------------------------------------------------------------- datasets
async function datasetsPage() {
  const list = (await json('/v1/datasets?limit=1000')).data;
  main.append(h('h1', {}, 'Datasets'));
  main.append(h('div', {class: 'card'},
    list.length === 0 ? h('p', {class: 'muted'}, 'No datasets yet: upload one below.') :
      h('table', {id: 'datasets'},
        h('tr', {}, h('th', {}, 'name'), h('th', {}, 'latest version'), h('th', {}, 'versions'), h('th', {}, 'validation fraction'), h('th', {}, 'created')),
        list.map(d => h('tr', {},
          h('td', {}, h('a', {href: `#/datasets/${encodeURIComponent(d.name)}`}, d.name)),
          h('td', {}, 'v' + d.latestVersion), h('td', {}, d.versions), h('td', {}, d.validationFraction),
          h('td', {}, new Date(d.createdAt).toLocaleString()))))));
  main.append(uploadForm());
}

function uploadForm(name) {
  const status = h('div', {id: 'upload-status'});
  const form = h('form', {id: 'upload', class: 'row', onsubmit: async ev => {
    ev.preventDefault();
    const data = new FormData(form);
    const dataset = data.get('name');
    const query = new URLSearchParams({balance: data.get('balance'), on_invalid: data.get('on_invalid'), seed: data.get('seed')});
    const body = new FormData();
    body.append('file', data.get('file'));
    status.replaceChildren(h('span', {class: 'muted'}, 'uploading and validating…'));
    try {
      const version = await json(`/v1/datasets/${encodeURIComponent(dataset)}/versions?${query}`, {method: 'POST', body});
      location.hash = `#/datasets/${encodeURIComponent(dataset)}/${version.version}`;
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  }},
    h('label', {}, 'dataset', h('input', {name: 'name', required: true, pattern: '[a-z0-9][a-z0-9-]{0,62}', value: name || '', placeholder: 'transactions'})),
    h('label', {}, 'JSONL file (or .gz)', h('input', {name: 'file', type: 'file', required: true})),
    h('label', {}, 'balance', h('select', {name: 'balance'}, ['none', 'oversample', 'undersample', 'class_weights'].map(b => h('option', {}, b)))),
    h('label', {}, 'bad lines', h('select', {name: 'on_invalid'}, h('option', {value: 'reject'}, 'reject the upload'), h('option', {value: 'drop'}, 'drop them'))),
    h('label', {}, 'seed', h('input', {name: 'seed', type: 'number', value: 0, min: 0, style: 'width:90px'})),
    h('button', {type: 'submit'}, 'Upload'));
  return h('div', {class: 'card'}, h('h2', {}, name ? 'Upload a new version' : 'Upload a dataset'), form, status);
}

async function datasetPage(name, selected) {
  const dataset = await json(`/v1/datasets/${encodeURIComponent(name)}`);
  // Versions are numbered 1, 2, ... and paged oldest first: show the newest 100.
  const versions = (await json(`/v1/datasets/${encodeURIComponent(name)}/versions?after=${Math.max(0, dataset.latestVersion.version - 100)}&limit=100`)).data;
  const current = versions.find(v => String(v.version) === selected) || versions[versions.length - 1];
  main.append(h('h1', {}, h('a', {href: '#/datasets'}, 'Datasets'), ' / ', name));
  main.append(h('div', {class: 'card'},
    h('table', {id: 'versions'},
      h('tr', {}, ['version', 'status', 'format', 'balance', 'lines', 'invalid', 'train', 'validation', 'created'].map(c => h('th', {}, c))),
      versions.map(v => h('tr', {class: v === current ? 'selected' : ''},
        h('td', {}, h('a', {href: `#/datasets/${encodeURIComponent(name)}/${v.version}`}, 'v' + v.version)),
        h('td', {}, h('span', {class: 'pill ' + v.status}, v.status)), h('td', {}, v.format), h('td', {}, v.balance),
        h('td', {}, v.lines), h('td', {}, v.invalidLines), h('td', {}, v.trainExamples), h('td', {}, v.validationExamples),
        h('td', {}, new Date(v.createdAt).toLocaleString()))))));
  if (current) {
    await versionDetail(name, current);
  }
  main.append(uploadForm(name));
}

async function versionDetail(name, version) {
  const labels = (version.summary && version.summary.labels) || {};
  const names = Object.keys(labels);
  main.append(h('h2', {}, `v${version.version}: labels before and after balancing (${version.balance})`));
  if (names.length === 0) {
    main.append(h('div', {class: 'card muted'}, 'No labels in this dataset.'));
  } else {
    const canvas = h('canvas', {id: 'label-chart', 'aria-label': 'label counts'});
    main.append(h('div', {class: 'card'}, h('div', {class: 'chart'}, canvas)));
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: {
        labels: names,
        datasets: [
          {label: 'train before balancing', data: names.map(n => labels[n].trainBeforeBalancing), backgroundColor: '#b0bec5'},
          {label: 'train after balancing', data: names.map(n => labels[n].train), backgroundColor: '#3d5afe'},
          {label: 'validation', data: names.map(n => labels[n].validation), backgroundColor: '#ffb74d'},
        ],
      },
      options: {responsive: true, maintainAspectRatio: false, animation: false,
        scales: {y: {beginAtZero: true, title: {display: true, text: 'examples'}}}},
    }));
  }
  const report = await json(`/v1/datasets/${encodeURIComponent(name)}/versions/${version.version}/report`).catch(e => ({error: e}));
  const card = h('div', {class: 'card', id: 'report'});
  main.append(h('h2', {}, 'Validation report'), card);
  if (report.error) {
    card.append(errorBox(report.error));
    return;
  }
  const counts = report.counts || {};
  card.append(h('p', {},
    `${counts.lines} lines: ${counts.valid} valid, ${counts.invalid} rejected, ${counts.duplicates} exact duplicates dropped, `
    + `${counts.nearDuplicates} near-duplicates kept; ${counts.train} train / ${counts.validation} validation examples.`));
  (report.warnings || []).forEach(w => card.append(h('p', {class: 'error'}, '⚠ ' + String(w))));
  const rejected = report.errors || [];
  card.append(h('h2', {}, `Rejected lines (${rejected.length})`));
  card.append(rejected.length === 0 ? h('p', {class: 'ok'}, 'None.')
    : h('ul', {class: 'rejected', id: 'rejected'}, rejected.map(e => h('li', {}, `line ${e.line}: ${e.reason}`))));
  card.append(h('p', {}, 'Download: ',
    ['train', 'validation'].map(split => h('button', {class: 'link', onclick: () => download(
      `/v1/datasets/${encodeURIComponent(name)}/versions/${version.version}/splits/${split}`, `${name}-v${version.version}-${split}.jsonl`)}, split + ' ')),
  ));
}

/** Downloads through fetch, since a plain link cannot carry the Authorization header. */
async function download(path, filename) {
  const blob = await (await api(path)).blob();
  const url = URL.createObjectURL(blob);
  h('a', {href: url, download: filename}).click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const fmt = x => x === null || x === undefined ? '–' : typeof x !== 'number' ? String(x)
  : Number.isInteger(x) ? String(x) : Math.abs(x) >= 1e5 ? x.toExponential(3) : x.toFixed(4);
const when = t => t ? new Date(typeof t === 'number' ? t * 1000 : t).toLocaleString() : '–';

// ---------------------------------------------------------------- fine-tuning jobs (trainer-service)
// trainer-service's JSON is snake_case (as OpenAI's fine-tuning API); an event's data is the Kafka payload (camelCase).
async function jobsPage() {
  const page = await json('/v1/fine-tuning/jobs?limit=50');
  main.append(h('h1', {}, 'Fine-tuning jobs'));
  main.append(h('div', {class: 'card'}, page.data.length === 0 ? h('p', {class: 'muted'}, 'No jobs yet.') :
    h('table', {id: 'jobs'},
      h('tr', {}, ['job', 'status', 'dataset', 'method', 'base model', 'progress', 'adapter', 'created'].map(c => h('th', {}, c))),
      page.data.map(j => h('tr', {},
        h('td', {}, h('a', {href: `#/jobs/${encodeURIComponent(j.id)}`}, j.id)),
        h('td', {}, h('span', {class: 'pill ' + j.status}, j.status)),
        h('td', {}, `${j.dataset.name} v${j.dataset.version}`), h('td', {}, j.method.type), h('td', {}, j.model),
        h('td', {}, j.progress.total_steps ? `${j.progress.step} / ${j.progress.total_steps}` : fmt(j.progress.step)),
        h('td', {}, j.adapter_name || '–'), h('td', {}, when(j.created_at)))))));
}

/** The registry's side of a trained job, as its view's `registration` says it. */
function registrationText(r) {
  if (!r) return '';
  if (r.status === 'registered') return `registered as ${r.adapter} v${r.version}`;
  if (r.status === 'failed') return r.reason;
  return 'trained, registration pending';
}

async function jobPage(id) {
  const path = `/v1/fine-tuning/jobs/${encodeURIComponent(id)}`;
  let job = await json(path);
  const status = h('span', {id: 'job-status', class: 'pill ' + job.status}, job.status);
  const progress = h('span', {id: 'job-progress'});
  const registration = h('p', {id: 'job-registration'});
  const cancel = h('button', {id: 'job-cancel', onclick: async () => { await json(path + '/cancel', {method: 'POST'}); render(); }}, 'Cancel');
  main.append(h('h1', {}, h('a', {href: '#/jobs'}, 'Jobs'), ' / ', id));
  main.append(h('div', {class: 'card'}, h('p', {}, status, ' ', progress, ' ', cancel),
    h('p', {class: 'muted'}, `${job.method.type} on ${job.model}, dataset ${job.dataset.name} v${job.dataset.version}, adapter `,
      job.adapter_name ? h('a', {href: `#/adapters/${encodeURIComponent(job.adapter_name)}`}, job.adapter_name) : '–'),
    registration,
    job.error ? h('p', {class: 'error'}, `${job.error.code}: ${job.error.message}`) : ''));
  const canvas = h('canvas', {id: 'loss-chart'});
  main.append(h('h2', {}, 'Training loss'), h('div', {class: 'card'}, h('div', {class: 'chart'}, canvas)));
  const chart = new Chart(canvas, {
    type: 'line',
    data: {datasets: [{label: 'train loss', data: [], borderColor: '#3d5afe', pointRadius: 0, tension: 0.2}]},
    options: {responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
      scales: {x: {type: 'linear', title: {display: true, text: 'step'}}, y: {title: {display: true, text: 'loss'}}}},
  });
  charts.push(chart);
  const metrics = h('div', {id: 'metrics'});
  main.append(h('h2', {}, 'Base vs tuned (validation split)'), h('div', {class: 'card'}, metrics));
  const showResult = j => {
    status.textContent = j.status;
    status.className = 'pill ' + j.status;
    cancel.hidden = !['queued', 'running', 'validating_files'].includes(j.status);
    progress.textContent = j.progress.total_steps ? `step ${j.progress.step} / ${j.progress.total_steps}` : '';
    metrics.replaceChildren(metricsTable(j.result && j.result.metrics));
    registration.textContent = registrationText(j.registration);
  };
  showResult(job);
  // The job's events as they happen: Server-Sent Events read through fetch (EventSource cannot send the key).
  stream = new AbortController();
  try {
    const response = await api(path + '/stream', {signal: stream.signal, headers: {Accept: 'text/event-stream'}});
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trim()).join('\n');
        if (!data) continue;
        const event = JSON.parse(data);
        if (event.type === 'training.progress' && event.data) {
          chart.data.datasets[0].data.push({x: event.data.step, y: event.data.trainLoss});
          progress.textContent = `step ${event.data.step} / ${event.data.totalSteps}`;
          chart.update('none');
        } else if (['training.job-succeeded', 'training.registered', 'training.job-failed'].includes(event.type)) {
          showResult(await json(path));
        }
      }
    }
    showResult(await json(path));
  } catch (e) {
    if (e.name !== 'AbortError') main.append(errorBox(e));
  }
}

function metricsTable(metrics) {
  if (!metrics) return h('p', {class: 'muted'}, 'Metrics appear when the job has succeeded.');
  const rows = [['eval loss', 'eval_loss'], ['perplexity', 'perplexity'], ['token accuracy', 'token_accuracy'],
    ['exact match', 'exact_match'], ['macro exact match', 'macro_exact_match']];
  const majority = metrics.majority;
  const table = h('table', {id: 'metrics-table'},
    h('tr', {}, h('th', {}, 'metric'), h('th', {}, 'base'), h('th', {}, 'tuned'),
      h('th', {}, majority ? `majority class ('${majority.label}')` : 'majority class')),
    rows.map(([label, key]) => h('tr', {}, h('td', {}, label), h('td', {}, fmt(metrics.base && metrics.base[key])),
      h('td', {}, h('b', {}, fmt(metrics.tuned && metrics.tuned[key]))),
      h('td', {}, majority && majority[key] !== undefined ? fmt(majority[key]) : '–'))));
  // The job's final event says the same (trainer-service's MajorityWarning): a model that learned nothing usable.
  const tuned = metrics.tuned && metrics.tuned.exact_match;
  if (!majority || tuned === undefined || tuned === null || tuned > majority.exact_match) return table;
  return h('div', {}, h('p', {class: 'error', id: 'majority-warning'}, `Warning: the tuned model does not beat the `
    + `majority class (exact match ${fmt(tuned)} vs ${fmt(majority.exact_match)} always answering '${majority.label}').`),
    table);
}

// ---------------------------------------------------------------- adapter registry (registry-service)
async function adaptersPage() {
  const page = await json('/v1/adapters?limit=100');
  main.append(h('h1', {}, 'Adapter registry'));
  main.append(h('div', {class: 'card'}, page.data.length === 0 ? h('p', {class: 'muted'}, 'No adapters yet.') :
    h('table', {id: 'adapters'},
      h('tr', {}, ['adapter', 'champion', 'latest', 'method', 'base model', 'dataset', 'exact match', 'eval loss'].map(c => h('th', {}, c))),
      page.data.map(a => h('tr', {},
        h('td', {}, h('a', {href: `#/adapters/${encodeURIComponent(a.name)}`}, a.name)),
        h('td', {}, a.champion ? 'v' + a.champion : '–'), h('td', {}, 'v' + a.latestVersion), h('td', {}, a.method || '–'),
        h('td', {}, a.baseModel || '–'), h('td', {}, a.dataset ? `${a.dataset.name} v${a.dataset.version}` : '–'),
        h('td', {}, fmt(a.metrics && a.metrics.exact_match)), h('td', {}, fmt(a.metrics && a.metrics.eval_loss)))))));
}

// The tuned model's metrics on the validation split, beside the untrained base's (RunMetrics, camelCase; perplexity
// is exp(eval loss), left out).
const VERSION_METRICS = [['exact match', 'exactMatch'], ['macro exact match', 'macroExactMatch'], ['eval loss', 'evalLoss'],
  ['token accuracy', 'tokenAccuracy']];

async function adapterPage(name) {
  const base = `/v1/adapters/${encodeURIComponent(name)}`;
  const [adapter, versions] = await Promise.all([json(base), json(base + '/versions?limit=100')]);
  const roleOf = v => Object.entries(adapter.aliases || {}).filter(([, n]) => n === v).map(([a]) => a);
  main.append(h('h1', {}, h('a', {href: '#/adapters'}, 'Registry'), ' / ', name));
  if (adapter.policy) {
    main.append(h('p', {class: 'muted'}, `promotion: ${adapter.policy.metric} (${adapter.policy.direction} is better), by at least `
      + `${adapter.policy.minImprovement}${adapter.policy.mustBeatMajority ? ', must beat the majority class' : ''}`));
  }
  const promote = async v => {
    await json(`${base}/aliases/champion`, {method: 'PUT', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({version: v.version, reason: 'promoted in the console'})});
    render();
  };
  main.append(h('div', {class: 'card'}, h('table', {id: 'adapter-versions'},
    h('tr', {}, ['version', 'status', 'role', 'trained on'].map(c => h('th', {}, c)),
      VERSION_METRICS.map(([label]) => h('th', {}, label)), h('th', {}, 'promotion'), h('th', {}, '')),
    versions.data.map(v => h('tr', {id: `adapter-v${v.version}`},
      h('td', {}, 'v' + v.version), h('td', {}, h('span', {class: 'pill ' + v.status}, v.status)),
      h('td', {class: 'roles'}, roleOf(v.version).map(r => h('span', {class: 'pill ' + r}, r))),
      h('td', {}, v.dataset ? `${v.dataset.name} v${v.dataset.version}` : '–',
        v.jobId ? h('div', {}, h('a', {class: 'job', href: `#/jobs/${encodeURIComponent(v.jobId)}`, title: v.jobId}, 'job')) : ''),
      VERSION_METRICS.map(([, key]) => h('td', {}, h('b', {}, fmt(v.metrics && v.metrics.tuned && v.metrics.tuned[key])),
        h('div', {class: 'muted'}, 'base ' + fmt(v.metrics && v.metrics.base && v.metrics.base[key])))),
      h('td', {class: 'muted reason'}, v.promotion || v.failureReason || ''),
      h('td', {}, v.status !== 'ready' ? '' : [
        h('button', {class: 'link download', onclick: () => download(`${base}/versions/${v.version}/download`, `${name}-v${v.version}.zip`)}, 'download'),
        adapter.aliases && adapter.aliases.champion === v.version ? '' : h('button', {class: 'link promote', onclick: () => promote(v).catch(e => main.append(errorBox(e)))}, 'make champion'),
      ]))))));
  if (adapter.aliases && adapter.aliases.champion) {
    // Try it: classify a text with the champion (inference-service), showing the label, its probability and the top 3.
    const text = h('input', {id: 'try-input', type: 'text', size: 60, placeholder: 'Transaction: STARBUCKS #4411 AUSTIN TX 5.40\\nCategory:'});
    const out = h('div', {id: 'try-result'});
    const tryIt = async () => {
      const r = await json('/v1/classify', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({model: name, input: text.value.replaceAll('\\n', '\n'), top_k: 3})});
      const x = r.data[0];
      out.replaceChildren(h('p', {}, h('b', {class: 'label'}, x.label), ` ${(100 * x.probability).toFixed(1)} %`,
        h('span', {class: 'muted'}, ` — answered by ${r.model}`)),
        h('table', {}, x.top.map(t => h('tr', {}, h('td', {}, t.label), h('td', {}, (100 * t.probability).toFixed(1) + ' %')))));
    };
    main.append(h('h2', {}, 'Try it'), h('div', {class: 'card'},
      h('form', {class: 'row', onsubmit: ev => { ev.preventDefault(); tryIt().catch(e => out.replaceChildren(errorBox(e))); }},
        text, h('button', {type: 'submit'}, 'Classify')), out));
  }
  if (versions.data.length >= 2) {
    const pick = (id, i) => h('select', {id}, versions.data.map(v => h('option', {value: v.version, selected: i === v.version}, 'v' + v.version)));
    const a = pick('compare-a', versions.data[versions.data.length - 2].version);
    const b = pick('compare-b', versions.data[versions.data.length - 1].version);
    const out = h('div', {id: 'comparison'});
    const compare = async () => {
      const c = await json(`${base}/compare?a=${a.value}&b=${b.value}`);
      out.replaceChildren(h('table', {},
        h('tr', {}, h('th', {}, 'metric'), h('th', {}, 'v' + a.value), h('th', {}, 'v' + b.value), h('th', {}, 'change')),
        Object.entries(c.metrics || {}).map(([k, d]) => h('tr', {}, h('td', {}, k), h('td', {}, fmt(d.a)), h('td', {}, fmt(d.b)),
          h('td', {class: d.delta > 0 ? 'ok' : d.delta < 0 ? 'error' : ''}, fmt(d.delta))))),
        [...(c.config || []), ...(c.lineage || [])].length ? h('table', {},
          h('tr', {}, h('th', {}, 'differs'), h('th', {}, 'v' + a.value), h('th', {}, 'v' + b.value)),
          [...(c.config || []), ...(c.lineage || [])].map(d => h('tr', {}, h('td', {}, d.field), h('td', {}, JSON.stringify(d.a)),
            h('td', {}, JSON.stringify(d.b))))) : '');
    };
    main.append(h('h2', {}, 'Compare two versions'),
      h('div', {class: 'card'}, h('form', {class: 'row', onsubmit: ev => { ev.preventDefault(); compare().catch(e => out.replaceChildren(errorBox(e))); }},
        a, b, h('button', {type: 'submit'}, 'Compare')), out));
  }
}

window.addEventListener('hashchange', () => render());
render();
