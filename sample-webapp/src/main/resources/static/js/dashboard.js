// The SessionGate demo dashboard: polls /api/dashboard (SessionGateAdmin's data) once a
// second; the admin ends sessions through the Actuator endpoint /actuator/sessiongate.
'use strict';

const POLL_MILLIS = 1000;
const BURST_SIZE = 20;
const HISTORY_POINTS = 60;

let previous = null;
let csrf = null;
const chart = createChart();

function el(tag, text, className) {
	const node = document.createElement(tag);
	if (text !== undefined && text !== null) {
		node.textContent = String(text);
	}
	if (className) {
		node.className = className;
	}
	return node;
}

function createChart() {
	if (typeof Chart === 'undefined') {
		return null;
	}
	return new Chart(document.getElementById('chart'), {
		type: 'line',
		data: {
			labels: [],
			datasets: [
				{ label: 'requests', data: [], borderColor: '#1d3557', backgroundColor: '#1d3557', tension: 0.2 },
				{ label: 'rejections', data: [], borderColor: '#e63946', backgroundColor: '#e63946', tension: 0.2 },
				{ label: 'errors', data: [], borderColor: '#f4a261', backgroundColor: '#f4a261', tension: 0.2 }
			]
		},
		options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
	});
}

function sumValues(map) {
	return Object.values(map).reduce((a, b) => a + b, 0);
}

function render(data) {
	document.getElementById('user').textContent = data.user;
	document.getElementById('role').textContent = data.admin ? '(admin)' : '';
	document.getElementById('activeSessions').textContent = data.activeSessions;
	document.getElementById('activeRequests').textContent = data.activeRequests;
	document.getElementById('requests').textContent = data.requests;
	document.getElementById('errors').textContent = data.errors;
	const rejected = sumValues(data.rejectionsByLimit);
	document.getElementById('rejected').textContent = rejected;

	const limits = document.querySelector('#limits tbody');
	limits.replaceChildren();
	for (const [limit, count] of Object.entries(data.rejectionsByLimit)) {
		const row = el('tr');
		row.dataset.limit = limit;
		row.append(el('td', limit), el('td', count, 'count'));
		limits.append(row);
	}

	const byUser = new Map();
	const rows = document.querySelector('#sessions tbody');
	rows.replaceChildren();
	for (const s of data.sessions) {
		const key = (s.user || 'anonymous') + ' · ' + s.status.toLowerCase();
		byUser.set(key, (byUser.get(key) || 0) + 1);
		const row = el('tr', null, s.current ? 'current' : '');
		row.dataset.user = s.user || '';
		row.dataset.status = s.status;
		if (s.current) {
			row.id = 'current-session';
		}
		const idCell = el('td', s.current ? s.id.substring(0, 8) + '… (you)' : s.id.substring(0, 8) + '…');
		const status = el('td', s.status + (s.endReason ? ' (' + s.endReason + ')' : ''), 'status-' + s.status);
		row.append(idCell, el('td', s.user || '-'), status, el('td', s.activeRequests, 'active'),
			el('td', s.requests, 'requests'), el('td', s.errors, 'errors'), el('td', s.rejections, 'rejections'),
			el('td', s.averageMillis), el('td', new Date(s.lastActivity).toLocaleTimeString()));
		const action = el('td');
		if (data.admin && s.status === 'ACTIVE') {
			const button = el('button', 'End session', 'end');
			button.type = 'button';
			button.addEventListener('click', () => endSession(s.id));
			action.append(button);
		}
		row.append(action);
		rows.append(row);
	}
	const chips = document.getElementById('byUser');
	chips.replaceChildren(...[...byUser.entries()].map(([key, count]) => el('span', key + ': ' + count)));

	if (chart && previous) {
		const seconds = Math.max(0.001, (Date.parse(data.time) - Date.parse(previous.time)) / 1000);
		const rate = (now, before) => Math.max(0, Math.round((now - before) / seconds));
		chart.data.labels.push(new Date(data.time).toLocaleTimeString());
		chart.data.datasets[0].data.push(rate(data.requests, previous.requests));
		chart.data.datasets[1].data.push(rate(rejected, sumValues(previous.rejectionsByLimit)));
		chart.data.datasets[2].data.push(rate(data.errors, previous.errors));
		if (chart.data.labels.length > HISTORY_POINTS) {
			chart.data.labels.shift();
			chart.data.datasets.forEach((d) => d.data.shift());
		}
		chart.update();
	}
	previous = data;
}

async function poll() {
	try {
		const response = await fetch('/api/dashboard', { headers: { Accept: 'application/json' } });
		if (response.redirected || response.status === 401) {
			window.location = '/login';
			return;
		}
		if (response.ok) {
			render(await response.json());
		}
	}
	finally {
		setTimeout(poll, POLL_MILLIS);
	}
}

async function csrfHeaders() {
	if (!csrf) {
		csrf = await (await fetch('/api/csrf')).json();
	}
	return { [csrf.headerName]: csrf.token };
}

function showResult(text) {
	document.getElementById('result').textContent = text;
}

async function burst() {
	showResult('Sending ' + BURST_SIZE + ' requests at once…');
	const started = performance.now();
	// distinct URLs: browsers queue identical GETs behind each other (cache lock)
	const statuses = await Promise.all(Array.from({ length: BURST_SIZE },
		(_, i) => fetch('/api/slow?ms=800&n=' + i, { cache: 'no-store' }).then((r) => r.status, () => 0)));
	const ok = statuses.filter((s) => s === 200).length;
	const rejected = statuses.filter((s) => s === 429).length;
	const result = document.getElementById('result');
	result.dataset.ok = ok;
	result.dataset.rejected = rejected;
	showResult('Burst of ' + BURST_SIZE + ': ' + ok + ' OK, ' + rejected + ' rejected with 429, '
		+ (BURST_SIZE - ok - rejected) + ' other, in ' + Math.round(performance.now() - started) + ' ms');
	result.dataset.done = 'true';
}

async function single(url, label) {
	const response = await fetch(url);
	showResult(label + ': HTTP ' + response.status);
}

async function showContext() {
	const response = await fetch('/api/context');
	const view = document.getElementById('contextView');
	view.hidden = false;
	view.textContent = JSON.stringify(await response.json(), null, 2);
}

async function endSession(id) {
	const headers = Object.assign({ 'Content-Type': 'application/json' }, await csrfHeaders());
	const response = await fetch('/actuator/sessiongate/' + encodeURIComponent(id),
		{ method: 'POST', headers, body: JSON.stringify({ reason: 'ended-from-dashboard' }) });
	showResult('End session: HTTP ' + response.status);
}

async function logout() {
	await fetch('/logout', { method: 'POST', headers: await csrfHeaders() });
	window.location = '/login?logout';
}

document.getElementById('burst').addEventListener('click', burst);
document.getElementById('slow').addEventListener('click', () => single('/api/slow?ms=1000', 'Slow request'));
document.getElementById('fail').addEventListener('click', () => single('/api/fail', 'Failing request'));
document.getElementById('context').addEventListener('click', showContext);
document.getElementById('logout').addEventListener('click', logout);
poll();
