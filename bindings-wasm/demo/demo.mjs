// The webshop demo: a sign-up form classified live by `engine.classify`, and
// a cart priced by `engine.priceLines` with `engine.price`'s explanation of
// one line. Plain DOM, no framework; the WASM build comes from ../pkg/web
// (scripts/build-wasm). The setup is ./setup.json, the items ./catalog.json;
// vectors/classify/demo.json and vectors/pricing/demo.json hold the Rust
// answers for the shoppers of test/demo.mjs (see ./make-vectors.mjs).
//
// For the test, `window.demoState` holds the exact values last passed to the
// engine: `form` (the customer classified), `customer` and `requests` (the
// cart priced), `webhook` (the payload read) and `economic` (the body made).

import init, { Engine, fromShopify } from '../pkg/web/custclass_wasm.js';

const $ = (selector) => document.querySelector(selector);

/** An element with attributes and children (strings become text). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name.startsWith('data-')) element.setAttribute(name, value);
    else element[name] = value;
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** The control `name` of the form `form` (by selector). */
function field(form, name) {
  return $(form).elements.namedItem(name);
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

const state = {
  engine: null,
  setup: null,
  catalog: null,
  /** The customer the cart is priced for (set by "Sign up"). */
  customer: null,
  /** Cart lines: `{item, quantity}`, quantity as typed. */
  lines: [],
  /** Index of the explained line, or null. */
  explained: null,
};
window.demoState = { form: null, customer: null, requests: [], webhook: null, economic: null };

// --- sign-up --------------------------------------------------------------

/** The customer the form describes, as plain data for the engine. */
function formCustomer() {
  const customer = { id: 'NEW' };
  const name = field('#signup', 'name').value.trim();
  const country = field('#signup', 'country').value.trim().toUpperCase();
  // As typed: the engine reads the forms people write VAT numbers in.
  const vat = field('#signup', 'vat_number').value.trim();
  if (name) customer.name = name;
  if (country) customer.billing_address = { country };
  if (vat) customer.vat_number = vat;
  customer.channel = field('#signup', 'channel').value;
  return customer;
}

/** Why a value was assigned, in words. */
function sourceText(source) {
  switch (source?.kind) {
    case 'rule': return `rule ${source.rule}`;
    case 'channel_default': return `channel ${source.channel}`;
    case 'zone_default': return `VAT zone ${source.zone}`;
    case 'type_default': return `default of type ${source.type}`;
    case 'setup_default': return 'setup default';
    case 'group': return `group ${source.group}`;
    case 'country': return `country ${source.country}`;
    case 'vat_number': return 'VAT number';
    case 'manual': return 'set by hand';
    default: return '';
  }
}

function describe(list, code) {
  return list?.find((entry) => entry.code === code)?.description;
}

/** One `<dt>/<dd>` pair; the value's element carries `data-field` for the test. */
function fact(label, field, assigned, description) {
  const value = assigned?.value ?? null;
  return [
    h('dt', {}, label),
    h('dd', {},
      h('span', { class: value === null ? 'value none' : 'value', 'data-field': field }, value === null ? '—' : String(value)),
      description ? h('span', { class: 'description' }, description) : null,
      assigned ? h('span', { class: 'source' }, sourceText(assigned.source)) : null),
  ];
}

function classifyForm() {
  const customer = formCustomer();
  window.demoState.form = customer;
  const list = $('#classification');
  const error = $('#classify-error');
  let result;
  try {
    result = state.engine.classify(customer).toObject();
  } catch (err) {
    error.textContent = `${err.name}: ${err.message}`;
    error.hidden = false;
    list.classList.add('stale');
    $('#signup-button').disabled = true;
    return null;
  }
  error.hidden = true;
  list.classList.remove('stale');
  $('#signup-button').disabled = false;
  const setup = state.setup;
  const rows = [];
  for (let slot = 1; slot <= 8; slot += 1) {
    const label = state.engine.slotLabel(slot);
    if (label === undefined) continue;
    const assigned = result.classes[`class${slot}`];
    const values = setup.slots.find((s) => s.slot === slot)?.values;
    rows.push(fact(label, `class${slot}`, assigned, assigned && describe(values, assigned.value)));
  }
  rows.push(
    fact('Customer type', 'type', result.type, result.type && describe(setup.types, result.type.value)),
    fact('Group', 'group', result.group, result.group && describe(setup.groups, result.group.value)),
    fact('Price group', 'price_group', result.price_group, result.price_group && describe(setup.price_groups, result.price_group.value)),
    fact('VAT zone', 'vat_zone', result.vat_zone),
    fact('Receivables account', 'receivables_account', result.receivables_account),
    fact('Revenue account', 'revenue_account', result.revenue_account),
    fact('Invoice layout', 'layout', result.layout),
  );
  list.replaceChildren(...rows.flat());
  return { customer, result };
}

function signUp(event) {
  event.preventDefault();
  const classified = classifyForm();
  if (classified === null) return;
  state.customer = classified.customer;
  const { result } = classified;
  const name = state.customer.name ?? 'new customer';
  $('#cart-customer').replaceChildren(
    'Prices for ', h('strong', { 'data-field': 'customer' }, name), ': group ',
    h('strong', {}, result.group?.value ?? '—'), ', price group ',
    h('strong', {}, result.price_group?.value ?? '—'), `, channel ${state.customer.channel}.`,
  );
  $('#cart-customer').classList.remove('muted');
  $('#add-button').disabled = false;
  $('#signup-button').textContent = 'Update account';
  priceCart();
}

function resetShopper() {
  $('#signup').reset();
  state.customer = null;
  state.lines = [];
  state.explained = null;
  $('#signup-button').textContent = 'Sign up';
  $('#add-button').disabled = true;
  $('#cart-customer').textContent = 'Sign up to see your prices.';
  $('#cart-customer').classList.add('muted');
  classifyForm();
  priceCart();
}

// --- cart -----------------------------------------------------------------

function currency() {
  return field('#cart-options', 'currency').value;
}

function orderDate() {
  return field('#cart-options', 'date').value;
}

function catalogItem(code) {
  return state.catalog.items.find((item) => item.item === code);
}

/** The price request of a cart line, as plain data for the engine. */
function request(line) {
  const item = catalogItem(line.item);
  const request = {
    item: item.item,
    list_price: item.list_price[currency()],
    quantity: line.quantity,
    date: orderDate(),
    currency: currency(),
  };
  if (item.item_group) request.item_group = item.item_group;
  return request;
}

function fillItemOptions() {
  const select = field('#add-line', 'item');
  const chosen = select.value;
  select.replaceChildren(...state.catalog.items.map((item) => h('option', { value: item.item },
    `${item.name} · ${item.item_group ?? 'no group'} · ${currency()} ${item.list_price[currency()]}`)));
  if (chosen) select.value = chosen;
}

function addLine(event) {
  event.preventDefault();
  if (state.customer === null) return;
  const quantity = field('#add-line', 'quantity');
  state.lines.push({ item: field('#add-line', 'item').value, quantity: quantity.value.trim() || '1' });
  quantity.value = '1';
  priceCart();
}

function removeLine(index) {
  state.lines.splice(index, 1);
  if (state.explained === index) state.explained = null;
  else if (state.explained !== null && state.explained > index) state.explained -= 1;
  priceCart();
}

function priceCart() {
  const body = $('#cart tbody');
  const error = $('#cart-error');
  const requests = state.lines.map(request);
  window.demoState = { ...window.demoState, customer: state.customer, requests };
  let quotes = [];
  let failure = null;
  if (state.customer !== null && requests.length > 0) {
    try {
      quotes = state.engine.priceLines(state.customer, requests).map((quote) => quote.toObject());
    } catch (err) {
      failure = err;
    }
  }
  error.hidden = failure === null;
  error.textContent = failure ? `${failure.name}: ${failure.message}` : '';
  const badLine = failure?.data?.line;
  body.replaceChildren(...state.lines.map((line, index) => {
    const item = catalogItem(line.item);
    const quote = quotes[index];
    const cell = (field, text, extra = {}) => h('td', { 'data-field': field, ...extra }, text ?? '—');
    const quantity = h('input', {
      type: 'number', min: '1', step: '1', value: line.quantity, 'aria-label': `Quantity of ${item.name}`,
    });
    // on change (enter, leaving the field, the arrows), not while typing
    quantity.addEventListener('change', () => {
      line.quantity = quantity.value.trim();
      state.explained = index;
      priceCart();
    });
    const remove = h('button', { type: 'button', class: 'link', title: 'Remove', 'aria-label': `Remove ${item.name}` }, '×');
    remove.addEventListener('click', (event) => {
      event.stopPropagation();
      removeLine(index);
    });
    const rule = quote?.rule ?? (quote ? 'list price' : null);
    const row = h('tr', {
      'data-item': line.item,
      class: [index === state.explained ? 'selected' : '', index === badLine ? 'bad' : ''].join(' ').trim(),
      title: 'Click to see why',
    },
    h('td', { 'data-field': 'item' }, h('span', {}, item.name), h('small', {}, item.item)),
    cell('item_group', item.item_group),
    h('td', { class: 'num', 'data-field': 'quantity' }, quantity),
    cell('list_price', item.list_price[currency()], { class: 'num' }),
    cell('net_price', quote?.net_price, { class: 'num' }),
    cell('discount_percent', quote ? `${quote.discount_percent} %` : null, { class: 'num' }),
    cell('line_total', quote?.line_total, { class: 'num strong' }),
    h('td', { 'data-field': 'rule' }, rule ?? '—',
      ...(quote?.stacked ?? []).map((id) => h('span', { class: 'stacked' }, `+ ${id}`))),
    h('td', {}, remove));
    row.tabIndex = 0;
    row.addEventListener('click', (event) => {
      if (event.target instanceof HTMLInputElement) return;
      state.explained = index;
      priceCart();
    });
    row.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.target !== row) return;
      state.explained = index;
      priceCart();
    });
    return row;
  }));
  $('#total-currency').textContent = `(${currency()})`;
  $('#total').textContent = quotes.length > 0 ? sum(quotes.map((quote) => quote.line_total)) : '—';
  explain();
}

/** The sum of decimal strings, exact (in the smallest unit they share). */
function sum(amounts) {
  const places = Math.max(...amounts.map((amount) => (amount.split('.')[1] ?? '').length));
  const units = amounts.reduce((total, amount) => {
    const [whole, fraction = ''] = amount.split('.');
    const sign = whole.startsWith('-') ? -1n : 1n;
    return total + sign * BigInt(whole.replace('-', '') + fraction.padEnd(places, '0'));
  }, 0n);
  const text = (units < 0n ? -units : units).toString().padStart(places + 1, '0');
  const whole = places > 0 ? text.slice(0, -places) : text;
  return `${units < 0n ? '-' : ''}${whole}${places > 0 ? `.${text.slice(-places)}` : ''}`;
}

// --- explanation ----------------------------------------------------------

/** What a price rule is, in a few words. */
function ruleSummary(rule) {
  const parts = [];
  const who = rule.customers ?? {};
  const [scope, value] = Object.entries(who)[0] ?? [];
  parts.push(scope === undefined ? 'everyone' : scope === 'segment' ? `customers where ${value}` : `${scope.replace('_', ' ')} ${value}`);
  const [items, code] = Object.entries(rule.items ?? {})[0] ?? [];
  parts.push(items === undefined ? 'all items' : `${items.replace('_', ' ')} ${code}`);
  if (rule.min_quantity) parts.push(`from ${rule.min_quantity}`);
  if (rule.max_quantity) parts.push(`up to ${rule.max_quantity}`);
  if (rule.valid_from || rule.valid_to) parts.push(`${rule.valid_from ?? '…'} to ${rule.valid_to ?? '…'}`);
  if (rule.currency) parts.push(`${rule.currency} only`);
  const action = rule.action ?? {};
  if (action.discount_percent) parts.push(`${action.discount_percent} % off`);
  if (action.discount_amount) parts.push(`${action.discount_amount} off each`);
  if (action.fixed_price) parts.push(`fixed price ${action.fixed_price}`);
  if (rule.stackable) parts.push('stacks on top');
  return parts.join(' · ');
}

/** A verdict in words: "below_min_quantity — buy 3 more". */
function verdictText(candidate) {
  const c = candidate;
  const detail = {
    applied: () => `sets the price: ${c.net_price}`,
    stacked: () => `applied on top (alone it gives ${c.net_price})`,
    lost_on_price: () => `would give ${c.net_price}; ${c.winner} is cheaper`,
    blank_currency: () => `would give ${c.net_price}; ${c.winner} is for this currency and wins`,
    lower_priority: () => `would give ${c.net_price}; ${c.winner} has a higher priority`,
    less_specific: () => `would give ${c.net_price} too; ${c.winner} is more specific`,
    declared_later: () => `would give ${c.net_price} too; ${c.winner} comes first`,
    outside_dates: () => `only ${c.valid_from ?? '…'} to ${c.valid_to ?? '…'}`,
    below_min_quantity: () => `buy ${c.buy_more} more`,
    above_max_quantity: () => `at most ${c.max_quantity}`,
    currency_mismatch: () => `${c.currency} only`,
    customer_out_of_scope: () => 'for other customers',
    item_out_of_scope: () => 'for other items',
    inactive: () => 'switched off',
  }[c.verdict];
  return `${c.verdict} — ${detail ? detail() : ''}`;
}

function explain() {
  const panel = $('#explanation');
  const line = state.explained === null ? undefined : state.lines[state.explained];
  if (line === undefined || state.customer === null) {
    panel.hidden = true;
    return;
  }
  const item = catalogItem(line.item);
  const rules = state.setup.pricing?.rules ?? [];
  let quote;
  try {
    quote = state.engine.price(state.customer, request(line)).toObject();
  } catch (err) {
    $('#explanation-title').textContent = `${item.name} × ${line.quantity}`;
    $('#explanation-summary').textContent = `${err.name}: ${err.message}`;
    $('#explanation-rules').replaceChildren();
    panel.hidden = false;
    return;
  }
  $('#explanation-title').textContent = `Why ${item.name} × ${quote.quantity} costs ${quote.currency} ${quote.net_price} each`;
  const stacked = quote.stacked?.length ? `, plus ${quote.stacked.join(', ')}` : '';
  $('#explanation-summary').textContent = `List price ${quote.list_price}, net price ${quote.net_price} `
    + `(${quote.discount_percent} % off), line total ${quote.line_total}; `
    + `${quote.rule ? `rule ${quote.rule}` : 'no rule applies'}${stacked}. `
    + 'Every price rule of the setup, with its verdict (engine.price):';
  $('#explanation-rules').replaceChildren(...quote.explanation.map((candidate) => {
    const rule = rules.find((r) => r.id === candidate.rule) ?? {};
    return h('li', { 'data-rule': candidate.rule, 'data-verdict': candidate.verdict, class: `verdict-${candidate.verdict}` },
      h('code', { class: 'rule-id' }, candidate.rule),
      h('span', { class: 'what' },
        h('span', { class: 'verdict' }, verdictText(candidate)),
        h('span', { class: 'rule-summary' }, ruleSummary(rule))));
  }));
  panel.hidden = false;
}

// --- start ----------------------------------------------------------------

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// --- webhook --------------------------------------------------------------

/** The pasted Shopify payload as a customer, its labels and its e-conomic body. */
function readWebhook() {
  const text = $('#webhook-payload').value;
  window.demoState.webhook = text;
  window.demoState.economic = null;
  const error = $('#webhook-error');
  let imported;
  let labels;
  let economic;
  try {
    imported = fromShopify(text);
    labels = state.engine.classify(imported.customer).toObject();
    economic = state.engine.toEconomic(imported.customer);
  } catch (err) {
    error.textContent = `${err.name}: ${err.message}`;
    error.hidden = false;
    $('#webhook-result').hidden = true;
    return;
  }
  error.hidden = true;
  const customer = imported.customer.toObject();
  window.demoState.economic = economic.toObject();
  const shown = (label, name, value) => [
    h('dt', {}, label),
    h('dd', {}, h('span', { class: value ? 'value' : 'value none', 'data-field': name }, value ?? '—')),
  ];
  $('#webhook-customer').replaceChildren(...[
    shown('Customer', 'id', customer.id),
    shown('Name', 'name', customer.name),
    shown('Attention', 'attention', customer.attention),
    shown('Country', 'country', customer.billing_address?.country),
    shown('Type', 'type', labels.type?.value),
    shown('Group', 'group', labels.group?.value),
    shown('Price group', 'price_group', labels.price_group?.value),
  ].flat());
  const findings = [...imported.findings, ...economic.findings];
  $('#webhook-findings').replaceChildren(...(findings.length === 0
    ? [h('li', { class: 'muted' }, 'none')]
    : findings.map((finding) => h('li', { 'data-code': finding.code }, `${finding.field}: ${finding.message}`))));
  $('#webhook-body').textContent = JSON.stringify(economic.body, null, 2);
  $('#webhook-result').hidden = false;
}

async function main() {
  const [, setup, catalog, webhook] = await Promise.all([
    init(), getJson('./setup.json'), getJson('./catalog.json'), getJson('./shopify-customer.json'),
  ]);
  state.engine = new Engine(setup);
  state.setup = setup;
  state.catalog = catalog;

  field('#cart-options', 'currency').replaceChildren(...catalog.currencies.map((code) => h('option', { value: code }, code)));
  field('#cart-options', 'date').value = today();
  fillItemOptions();

  $('#signup').addEventListener('input', classifyForm);
  $('#signup').addEventListener('change', classifyForm);
  $('#signup').addEventListener('submit', signUp);
  $('#reset-button').addEventListener('click', resetShopper);
  $('#add-line').addEventListener('submit', addLine);
  $('#cart-options').addEventListener('input', () => {
    fillItemOptions();
    priceCart();
  });
  $('#cart-options').addEventListener('submit', (event) => event.preventDefault());
  $('#webhook-payload').value = JSON.stringify(webhook, null, 2);
  $('#webhook-button').addEventListener('click', readWebhook);

  classifyForm();
  priceCart();
  const rules = setup.pricing?.rules?.length ?? 0;
  $('#status').textContent = `Engine ready: ${setup.groups.length} customer groups, ${rules} price rules.`;
  document.documentElement.dataset.ready = 'yes';
}

main().catch((err) => {
  $('#status').textContent = `Could not start: ${err?.message ?? err}. Run scripts/build-wasm and serve the repository root.`;
  $('#status').classList.add('error');
  document.documentElement.dataset.ready = 'failed';
  throw err;
});
