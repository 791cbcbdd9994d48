// peftflow console: a small single-page app over the gateway's /v1 API. The API key stays in this tab's
// sessionStorage and goes out as 'Authorization: Bearer'; pages appear only for the APIs the gateway's
// merged OpenAPI document lists (a service that is not deployed has no page).
'use strict';

const KEY = 'peftflow.apiKey';
const main = document.getElementById('main');
const PAGES = [
  {id: 'datasets', title: 'Datasets', path: '/v1/datasets'},
];
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
    const views = {datasets: rest.length ? datasetPage : datasetsPage};
    const view = available.some(p => p.id === page) ? views[page] : datasetsPage;
    await view(...rest.map(decodeURIComponent));
  } catch (e) {
    main.append(errorBox(e));
  }
}

// ---------------------------------------------------------------- datasets
async function datasetsPage() {
  const list = await json('/v1/datasets');
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
  const versions = dataset.versions;
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

window.addEventListener('hashchange', () => render());
render();
