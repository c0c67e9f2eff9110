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

	/* The bar's words name a run of days ("Sep 2 \u2013 Nov 3, 2026: 100%
	 * uptime"); under the pointer they name the very day, as a cell of
	 * its own would, and sit above it. */
	var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug',
		'Sep', 'Oct', 'Nov', 'Dec'];

	function dayTip(e) {
		var cell = e.target.closest ? e.target.closest('.bar > .d') : null;
		var bar = cell && cell.parentNode;
		var tip = cell && cell.firstElementChild;
		if (!tip || !bar.getAttribute('data-end')) return;
		var days = parseInt(getComputedStyle(bar).getPropertyValue('--days'), 10) || 90;
		var box = bar.getBoundingClientRect();
		var width = box.width / days;
		var back = Math.min(days - 1, Math.max(0, Math.floor((box.right - e.clientX) / width)));
		var day = new Date(bar.getAttribute('data-end') + 'T00:00:00Z');
		if (isNaN(day.getTime())) return;
		day.setUTCDate(day.getUTCDate() - back);
		if (!cell.hasAttribute('data-words')) cell.setAttribute('data-words', tip.textContent);
		var words = cell.getAttribute('data-words');
		tip.textContent = MONTHS[day.getUTCMonth()] + ' ' + day.getUTCDate() + ', ' +
			day.getUTCFullYear() + words.slice(words.indexOf(': '));
		var center = box.width - (back + 0.5) * width;
		var left = Math.max(0, Math.min(box.width - tip.offsetWidth, center - tip.offsetWidth / 2));
		tip.style.left = left + 'px';
		tip.style.transform = 'none';
	}

	function dayTipDone(e) {
		var cell = e.target.closest ? e.target.closest('.bar > .d') : null;
		if (!cell || cell.contains(e.relatedTarget) || !cell.hasAttribute('data-words')) return;
		cell.firstElementChild.textContent = cell.getAttribute('data-words');
		cell.firstElementChild.removeAttribute('style');
	}

	document.addEventListener('pointermove', dayTip);
	document.addEventListener('pointerdown', dayTip); /* a tap, without a move */
	document.addEventListener('pointerout', dayTipDone);
	document.addEventListener('visibilitychange', function () {
		if (!document.hidden) refresh();
	});
})();
