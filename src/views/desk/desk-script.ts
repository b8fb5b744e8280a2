/**
 * The desk's only script: type-ahead for the speaker field (served from this origin,
 * loaded with the page nonce). The form works without it: the server matches a typed
 * name against names and aliases. With it, choosing a suggestion fills the hidden
 * speaker id. ARIA combobox pattern; the texts come from data- attributes so the
 * script needs no translations of its own. The second part shows, as the quote is typed,
 * claims recorded already (GET /desk/claims/matches) in the element the server renders
 * after a submit, and at load for a quote already in the field; text goes in with
 * textContent only.
 */
export const DESK_JS = `"use strict";
(function () {
	var input = document.getElementById("f-speaker-name");
	var hidden = document.getElementById("f-speaker-id");
	var status = document.getElementById("speaker-status");
	if (!input || !hidden || !status) return;
	var list = document.createElement("ul");
	list.id = "speaker-suggestions";
	list.className = "suggestions";
	list.setAttribute("role", "listbox");
	list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
	list.hidden = true;
	input.insertAdjacentElement("afterend", list);
	input.setAttribute("role", "combobox");
	input.setAttribute("aria-autocomplete", "list");
	input.setAttribute("aria-expanded", "false");
	input.setAttribute("aria-controls", list.id);
	var items = [];
	var active = -1;
	var timer = 0;
	var seq = 0;

	function close() {
		list.hidden = true;
		active = -1;
		input.setAttribute("aria-expanded", "false");
		input.removeAttribute("aria-activedescendant");
	}
	function highlight(index) {
		active = index;
		Array.prototype.forEach.call(list.children, function (li, i) {
			li.setAttribute("aria-selected", i === index ? "true" : "false");
		});
		if (index >= 0) input.setAttribute("aria-activedescendant", "speaker-option-" + index);
		else input.removeAttribute("aria-activedescendant");
	}
	function choose(index) {
		var speaker = items[index];
		if (!speaker) return;
		input.value = speaker.name;
		hidden.value = speaker.id;
		status.textContent = status.getAttribute("data-chosen") + ": " + speaker.name;
		close();
	}
	function render() {
		list.textContent = "";
		items.forEach(function (speaker, i) {
			var li = document.createElement("li");
			li.id = "speaker-option-" + i;
			li.setAttribute("role", "option");
			li.setAttribute("aria-selected", "false");
			var extra = [speaker.description].concat(speaker.aliases.slice(0, 3)).filter(Boolean).join(", ");
			li.textContent = speaker.name + (extra ? " (" + extra + ")" : "");
			li.addEventListener("mousedown", function (event) {
				event.preventDefault();
				choose(i);
			});
			list.appendChild(li);
		});
		list.hidden = items.length === 0;
		input.setAttribute("aria-expanded", items.length > 0 ? "true" : "false");
		// "1 suggestion", "2 suggestions": the page's language decides which form a count takes.
		var form = new Intl.PluralRules(document.documentElement.lang || "en").select(items.length);
		status.textContent = items.length + " " + status.getAttribute(form === "one" ? "data-count-one" : "data-count");
	}
	function search() {
		var q = input.value.trim();
		var mine = ++seq;
		if (q.length < 2) {
			items = [];
			close();
			return;
		}
		fetch("/desk/speakers/search?q=" + encodeURIComponent(q), {
			headers: { Accept: "application/json" },
			credentials: "same-origin",
		})
			.then(function (response) {
				return response.ok ? response.json() : { data: [] };
			})
			.then(function (body) {
				if (mine !== seq) return;
				items = body.data || [];
				render();
			})
			.catch(function () {});
	}
	input.addEventListener("input", function () {
		hidden.value = "";
		status.textContent = "";
		clearTimeout(timer);
		timer = setTimeout(search, 200);
	});
	input.addEventListener("keydown", function (event) {
		if (list.hidden) return;
		if (event.key === "ArrowDown") {
			event.preventDefault();
			highlight(Math.min(items.length - 1, active + 1));
		} else if (event.key === "ArrowUp") {
			event.preventDefault();
			highlight(Math.max(0, active - 1));
		} else if (event.key === "Enter" && active >= 0) {
			event.preventDefault();
			choose(active);
		} else if (event.key === "Escape") {
			close();
		}
	});
	input.addEventListener("blur", function () {
		setTimeout(close, 100);
	});
})();
(function () {
	var quote = document.getElementById("f-text");
	var language = document.getElementById("f-language");
	var box = document.getElementById("claim-matches");
	if (!quote || !language || !box) return;
	var timer = 0;
	var seq = 0;
	function el(tag, text, className) {
		var node = document.createElement(tag);
		if (text) node.textContent = text;
		if (className) node.className = className;
		return node;
	}
	function render(matches) {
		box.textContent = "";
		if (matches.length === 0) return;
		box.appendChild(el("h2", box.getAttribute("data-title")));
		var list = el("ul");
		matches.forEach(function (match) {
			var li = el("li", "", "match match-" + match.relation);
			li.appendChild(el("strong", box.getAttribute(match.relation === "same" ? "data-same" : "data-similar")));
			li.appendChild(document.createTextNode(" "));
			var link = el("a", match.text);
			link.href = "/desk/claims/" + encodeURIComponent(match.id);
			link.lang = match.language;
			link.dir = "auto";
			li.appendChild(link);
			li.appendChild(el("span", " · " + match.statusLabel + (match.speaker ? " · " + match.speaker : ""), "meta"));
			if (match.relation === "same") {
				var button = el("button", box.getAttribute("data-add"), "secondary");
				button.type = "submit";
				button.formNoValidate = true;
				button.setAttribute("formaction", "/desk/claims/" + encodeURIComponent(match.id) + "/appearances");
				var p = el("p");
				p.appendChild(button);
				li.appendChild(p);
			}
			list.appendChild(li);
		});
		box.appendChild(list);
	}
	function look() {
		var text = quote.value.trim();
		var lang = language.value.trim();
		var mine = ++seq;
		if (text.length < 12 || lang.length < 2) return;
		fetch("/desk/claims/matches?text=" + encodeURIComponent(text) + "&language=" + encodeURIComponent(lang), {
			headers: { Accept: "application/json" },
			credentials: "same-origin",
		})
			.then(function (response) {
				return response.ok ? response.json() : { data: [] };
			})
			.then(function (body) {
				if (mine === seq) render(body.data || []);
			})
			.catch(function () {});
	}
	function later() {
		clearTimeout(timer);
		timer = setTimeout(look, 400);
	}
	quote.addEventListener("input", later);
	language.addEventListener("change", later);
	// A page that comes back with the quote in it (a field's error, a form prefilled from an
	// article) showed nothing until the quote was edited. Not where the server answered for it.
	if (quote.value.trim() && !box.hasAttribute("data-answered")) look();
})();
`;
