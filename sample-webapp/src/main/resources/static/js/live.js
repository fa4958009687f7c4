// The dashboard's live stream (server-sent events, GET /api/live): SessionGate counts it as a
// stream of this session, not as a request, and closes it when the session ends.
'use strict';

(function () {
	const status = document.getElementById('live');
	if (!status || !window.EventSource) {
		return;
	}
	const source = new EventSource('/api/live');
	source.addEventListener('tick', (event) => {
		const data = JSON.parse(event.data);
		status.textContent = 'Live stream open: ' + new Date(data.time).toLocaleTimeString()
			+ ' (' + data.streams + ' stream(s) open on this node). It is not a request: the burst is limited as before.';
		status.className = 'note live-open';
	});
	source.addEventListener('error', () => {
		// the server ended the stream (the session ended) or the browser lost it: do not reconnect
		source.close();
		status.textContent = 'Live stream closed by the server at ' + new Date().toLocaleTimeString()
			+ ': the session ended (logout, admin, limit) or the server went away.';
		status.className = 'note live-closed';
	});
})();
