/* Kodo public status page: optional niceties. The page is complete without
 * this script; with it, times also show in the visitor's local time and
 * the page refreshes itself (revalidating with its ETag) while visible. */
(function () {
	'use strict';
	var REFRESH_MS = 30000;
	var fmt = null;
	try {
		if (new Date().getTimezoneOffset() !== 0) {
			fmt = new Intl.DateTimeFormat(undefined, {
				month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'
			});
		}
	} catch (e) {
		fmt = null;
	}

	function localize(root) {
		if (!fmt) return;
		var times = root.querySelectorAll('time[datetime*="T"]');
		for (var i = 0; i < times.length; i++) {
			var t = times[i];
			var d = new Date(t.getAttribute('datetime'));
			if (isNaN(d.getTime())) continue;
			var span = document.createElement('span');
			span.className = 'local';
			span.textContent = ' (' + fmt.format(d) + ' your time)';
			t.parentNode.insertBefore(span, t.nextSibling);
		}
	}

	var main = document.getElementById('main');
	if (!main) return;
	var last = main.innerHTML;
	localize(main);

	function refresh() {
		if (document.hidden || !window.fetch || !window.DOMParser) return;
		fetch(location.href, { cache: 'no-cache', headers: { Accept: 'text/html' } })
			.then(function (r) { return r.ok ? r.text() : null; })
			.then(function (html) {
				if (!html) return;
				var doc = new DOMParser().parseFromString(html, 'text/html');
				var fresh = doc.getElementById('main');
				var cur = document.getElementById('main');
				if (!fresh || !cur || fresh.innerHTML === last) return;
				last = fresh.innerHTML;
				var node = document.importNode(fresh, true);
				cur.parentNode.replaceChild(node, cur);
				localize(node);
			})
			.catch(function () { /* offline: try again later */ });
	}
	setInterval(refresh, REFRESH_MS);
	document.addEventListener('visibilitychange', function () {
		if (!document.hidden) refresh();
	});
})();
