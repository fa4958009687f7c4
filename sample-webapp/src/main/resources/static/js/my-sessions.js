// "Your sessions": where the signed-in user is signed in, from SessionGate's inventory REST API
// (sessiongate.inventory.api-path=/api/me/sessions): GET lists the user's live sessions, DELETE
// /api/me/sessions/{reference} signs one out, DELETE /api/me/sessions/others all but this one.
// Sessions are named by their short reference only; the raw id never leaves the server.
'use strict';

(() => {
	const API = '/api/me/sessions';
	const REFRESH_MILLIS = 2000;
	let token = null;

	function cell(text, className) {
		const td = document.createElement('td');
		td.textContent = (text === null || text === undefined) ? '' : String(text);
		if (className) {
			td.className = className;
		}
		return td;
	}

	// a short name for the device: its id when the app sends one, else browser and system
	// read from the user agent
	function device(session) {
		if (session.deviceId) {
			return session.deviceId;
		}
		const agent = session.userAgent || '';
		const browser = [['Edg/', 'Edge'], ['Firefox/', 'Firefox'], ['Chrome/', 'Chrome'], ['Safari/', 'Safari']]
			.find(([marker]) => agent.includes(marker));
		const system = [['Android', 'Android'], ['iPhone', 'iPhone'], ['iPad', 'iPad'], ['Windows', 'Windows'],
			['Mac OS', 'macOS'], ['Linux', 'Linux']].find(([marker]) => agent.includes(marker));
		if (!browser && !system) {
			return agent ? agent.slice(0, 40) : 'unknown device';
		}
		return (browser ? browser[1] : 'a browser') + (system ? ' on ' + system[1] : '');
	}

	function time(value) {
		// ISO-8601 text, or epoch seconds as numbers depending on the JSON settings
		const date = (typeof value === 'number') ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
		return date.toLocaleTimeString();
	}

	async function headers() {
		if (!token) {
			token = await (await fetch('/api/csrf')).json();
		}
		return { [token.headerName]: token.token };
	}

	function say(text) {
		document.getElementById('mySessionsResult').textContent = text;
	}

	function render(sessions) {
		const rows = document.querySelector('#mySessions tbody');
		rows.replaceChildren();
		for (const s of sessions) {
			const row = document.createElement('tr');
			row.dataset.reference = s.reference;
			if (s.caller) {
				row.className = 'current this-device';
			}
			const action = document.createElement('td');
			if (s.caller) {
				action.textContent = 'this device';
				action.className = 'marker';
			}
			else {
				const button = document.createElement('button');
				button.type = 'button';
				button.className = 'sign-out';
				button.textContent = 'Sign out';
				button.addEventListener('click', () => signOut(s.reference));
				action.append(button);
			}
			row.append(cell(device(s), 'device'), cell(s.clientIp || '-', 'ip'), cell(time(s.lastActivity), 'last'),
				cell(s.reference, 'reference'), action);
			rows.append(row);
		}
		const panel = document.getElementById('mySessionsPanel');
		panel.dataset.count = sessions.length;
		document.getElementById('signOutOthers').disabled = sessions.filter((s) => !s.caller).length === 0;
	}

	async function refresh() {
		const response = await fetch(API, { headers: { Accept: 'application/json' } });
		if (response.redirected || response.status === 401) {
			// this session is gone: the login page says why (/login?ended when it was ended)
			window.location = response.redirected ? response.url : '/login';
			return;
		}
		if (response.ok) {
			render((await response.json()).sessions);
		}
	}

	async function signOut(reference) {
		const response = await fetch(API + '/' + encodeURIComponent(reference),
			{ method: 'DELETE', headers: await headers() });
		say(response.status === 204 ? 'Signed out ' + reference + '.' : 'Could not sign out ' + reference
			+ ' (HTTP ' + response.status + ').');
		await refresh();
	}

	async function signOutOthers() {
		const response = await fetch(API + '/others', { method: 'DELETE', headers: await headers() });
		if (response.ok) {
			const ended = (await response.json()).ended;
			say('Signed out ' + ended + ' other session' + (ended === 1 ? '' : 's') + '.');
		}
		else {
			say('Could not sign out the other sessions (HTTP ' + response.status + ').');
		}
		await refresh();
	}

	async function loop() {
		try {
			await refresh();
		}
		finally {
			setTimeout(loop, REFRESH_MILLIS);
		}
	}

	document.getElementById('signOutOthers').addEventListener('click', signOutOthers);
	loop();
})();
