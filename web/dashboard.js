/* Kodo team dashboard: optional niceties. Every page works without this
 * script; with it, secrets shown once get a Copy button, the accent color
 * field gets a color picker, and lists of live state (incidents, monitors)
 * refresh themselves while visible and untouched. */
(function () {
	'use strict';

	function copyButtons() {
		var codes = document.querySelectorAll('code.secret');
		for (var i = 0; i < codes.length; i++) {
			if (!navigator.clipboard) return;
			var b = document.createElement('button');
			b.type = 'button';
			b.className = 'secondary';
			b.textContent = 'Copy';
			b.addEventListener('click', (function (code, btn) {
				return function () {
					navigator.clipboard.writeText(code.textContent).then(function () {
						btn.textContent = 'Copied';
					});
				};
			})(codes[i], b));
			codes[i].parentNode.appendChild(document.createTextNode(' '));
			codes[i].parentNode.appendChild(b);
		}
	}

	function colorPickers() {
		var inputs = document.querySelectorAll('input[data-color]');
		for (var i = 0; i < inputs.length; i++) {
			var text = inputs[i];
			if (text.disabled) continue;
			var pick = document.createElement('input');
			pick.type = 'color';
			pick.setAttribute('aria-label', 'Pick the accent color');
			pick.value = /^#[0-9a-fA-F]{6}$/.test(text.value) ? text.value : '#1f5fbf';
			pick.addEventListener('input', (function (t, p) {
				return function () { t.value = p.value; };
			})(text, pick));
			text.addEventListener('input', (function (t, p) {
				return function () {
					if (/^#[0-9a-fA-F]{6}$/.test(t.value)) p.value = t.value;
				};
			})(text, pick));
			text.parentNode.appendChild(pick);
		}
	}

	/* Lists refresh every 30 s, unless the user is typing in a form. */
	function liveLists() {
		var table = document.querySelector('#incidents, #monitors');
		if (!table || !window.fetch || !window.DOMParser) return;
		var touched = false;
		document.addEventListener('input', function () { touched = true; });
		setInterval(function () {
			if (document.hidden || touched) return;
			fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
				.then(function (r) { return r.ok && !r.redirected ? r.text() : null; })
				.then(function (html) {
					if (!html) return;
					var doc = new DOMParser().parseFromString(html, 'text/html');
					var cur = document.getElementById(table.id);
					var fresh = doc.getElementById(table.id);
					if (cur && fresh && cur.innerHTML !== fresh.innerHTML)
						cur.parentNode.replaceChild(document.importNode(fresh, true), cur);
				})
				.catch(function () { /* offline: try again later */ });
		}, 30000);
	}

	copyButtons();
	colorPickers();
	liveLists();
})();
