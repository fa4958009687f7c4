// The SessionGate demo dashboard: polls /api/dashboard (SessionGateAdmin's data) once a
// second; the admin ends sessions with POST /api/sessions/{reference}/end. Sessions are
// shown and named by their short reference only: a raw session id is a credential.
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
				// straight segments (no smoothing, which would draw peaks lower or higher than the
				// counts); errors drawn on top so that the line stays visible where it overlaps
				{ label: 'requests', data: [], borderColor: '#1d3557', backgroundColor: '#1d3557', tension: 0, order: 3,
					pointStyle: 'circle' },
				{ label: 'rejections', data: [], borderColor: '#e63946', backgroundColor: '#e63946', tension: 0, order: 2,
					pointStyle: 'rect' },
				{ label: 'errors', data: [], borderColor: '#e09f3e', backgroundColor: '#e09f3e', tension: 0, order: 1,
					borderWidth: 3, borderDash: [6, 3], pointRadius: 4, pointStyle: 'triangle' }
			]
		},
		options: {
			animation: false, maintainAspectRatio: false,
			scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
			// a legend box would draw the errors line's thick dash as a smudge: use each
			// dataset's point shape instead, drawn solid
			plugins: { legend: { labels: { usePointStyle: true, boxHeight: 8 } } }
		}
	});
}

function render(data) {
	document.getElementById('user').textContent = data.user;
	document.getElementById('role').textContent = data.admin ? '(admin)' : '';
	document.getElementById('activeSessions').textContent = data.activeSessions;
	document.getElementById('activeRequests').textContent = data.activeRequests;
	document.getElementById('requests').textContent = data.requests;
	document.getElementById('errors').textContent = data.errors;
	document.getElementById('rejected').textContent = data.rejectedRequests;
	document.getElementById('scope').textContent = data.admin ? 'all users' : 'your sessions only';

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
		const idCell = el('td', s.current ? s.id + ' (you)' : s.id, 'reference');
		const status = el('td', s.status + (s.endReason ? ' (' + s.endReason + ')' : ''), 'status-' + s.status);
		row.append(idCell, el('td', s.user || '-'), status, el('td', s.activeRequests, 'active'),
			el('td', s.requests, 'requests'), el('td', s.errors, 'errors'), el('td', s.rejections, 'rejections'),
			el('td', s.averageMillis), el('td', new Date(s.lastActivity).toLocaleTimeString()),
			el('td', s.endedAt ? new Date(s.endedAt).toLocaleTimeString() : '', 'ended'));
		const action = el('td');
		// the admin's own session is ended with "Log out", not from the table
		if (data.admin && s.status === 'ACTIVE' && !s.current) {
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
		// what happened since the previous poll, counted, not scaled to a rate: a burst of 17
		// rejections shows as 17 whatever the poll's timing (ended sessions leaving the
		// history can lower a total, hence no negative steps)
		const since = (now, before) => Math.max(0, now - before);
		chart.data.labels.push(new Date(data.time).toLocaleTimeString());
		chart.data.datasets[0].data.push(since(data.requests, previous.requests));
		chart.data.datasets[1].data.push(since(data.rejectedRequests, previous.rejectedRequests));
		chart.data.datasets[2].data.push(since(data.errors, previous.errors));
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
			// the session is gone: the login page says why (/login?ended when it was ended)
			window.location = response.redirected ? response.url : '/login';
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

async function endSession(reference) {
	const response = await fetch('/api/sessions/' + encodeURIComponent(reference) + '/end',
		{ method: 'POST', headers: await csrfHeaders() });
	showResult('End session ' + reference + ': HTTP ' + response.status);
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
