/**
 * The one stylesheet (served from /assets/app.css, no framework, nothing fetched
 * at run time). System fonts; light and dark; readable at 320 px.
 */
import { PENDING, RATINGS } from "../domain/ratings";

/** Chip colours come from the scale module as classes: page CSP allows no inline styles. */
// The desk's status pills (.status) take the rating colours too, white on colour as on chips.
const statusColours = [...RATINGS, ...PENDING]
	.map(
		(r) =>
			`.status-${r.key}{background:${r.colour}}.status.status-${r.key}{background:${r.colour};border-color:${r.colour};color:#fff}`,
	)
	.join("");

export const APP_CSS = `${statusColours}
:root{--bg:#fff;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--control:#6e7781;--card:#f6f8fa;--link:#0550ae;--focus:#0969da;--danger:#b91c1c;--ok:#1a7f37;--button:#0550ae;--button-danger:#b91c1c;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--control:#6e7681;--card:#161b22;--link:#4493f8;--focus:#4493f8;--danger:#f85149;--ok:#3fb950;--button:#1f6feb;--button-danger:#da3633}}
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
/* Any text a person typed (a summary, a note, a name, old and new wording) may hold one unbroken
   run, a pasted URL, as wide as it is long: set once here and inherited, it breaks where it must
   and nowhere else, so no element needs its own rule. "anywhere", not break-word: it also lets a
   flex or grid item holding such a run shrink to the screen. Not word-break, which would split
   ordinary words that fit. */
body{overflow-wrap:anywhere}
/* Column headers are our own words: a column keeps its longest word (tables scroll in .table-scroll). */
th{overflow-wrap:normal}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.notice[tabindex]:focus{outline:3px solid var(--focus);outline-offset:2px}.skip{position:absolute;left:-999px;top:0}.skip:focus{left:.5rem;background:var(--bg);padding:.5rem;z-index:10}
header.site{border-bottom:1px solid var(--line);padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center}
header.site .brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--fg)}
header.site nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
header.site .lang{margin-left:auto}
main{max-width:52rem;margin:0 auto;padding:1rem}
footer.site{max-width:52rem;margin:2rem auto;padding:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.75rem 0 .75rem}
blockquote.quote{margin:0 0 1rem;padding:.75rem 1rem;border-inline-start:4px solid var(--line);background:var(--card);font-size:1.1rem}
.meta{color:var(--muted);font-size:.92rem}
.rating{display:inline-block;padding:.1rem .55rem;border-radius:.25rem;color:#fff;font-weight:600;font-size:.9rem}
a.rating{text-decoration:none}a.rating:hover{text-decoration:underline}
.claims{list-style:none;padding:0;margin:0}
.claims li{border-bottom:1px solid var(--line);padding:.75rem 0}
.claims .text{display:block;margin:.25rem 0}
.queue .text{display:block;margin:.15rem 0}
.table-scroll{overflow-x:auto}
.tokens td:nth-child(2){min-width:12rem}
.deliveries th,.deliveries td{overflow-wrap:normal}
.deliveries code{white-space:nowrap}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
/* 18rem: below ~26rem the box takes the row and the button goes under it, so the hint fits at 320 px */
form.search input[type=search]{flex:1 1 18rem}
input,select,textarea,button{font:inherit;color:inherit}
/* A text field's edge is how it is seen at all (WCAG 1.4.11 wants 3:1): --control, not the faint --line of dividers */
input,select,textarea{background:var(--bg);border:1px solid var(--control);border-radius:.3rem;padding:.45rem .55rem;max-width:100%}
textarea{width:100%;min-height:6rem}
button,.button{background:var(--button);color:#fff;border:0;border-radius:.3rem;padding:.5rem .9rem;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:var(--card);color:var(--fg);border:1px solid var(--line)}
.field{margin:0 0 1rem}
.field label{display:block;font-weight:600;margin-bottom:.2rem}
.field .hint{color:var(--muted);font-size:.9rem}
.field .error,.errors{color:var(--danger)}
.field input:not([type=checkbox]):not([type=radio]),.field select{width:100%}
[aria-invalid=true]{border-color:var(--danger)}
.notice{border:1px solid var(--line);background:var(--card);padding:.75rem 1rem;border-radius:.3rem;margin:1rem 0}
.notice.error{border-color:var(--danger)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid var(--line);vertical-align:top}
td code{word-break:break-all}td.word{overflow-wrap:normal;white-space:nowrap}
/* A field's or parameter's name and type (/api/docs): each word kept whole, a name is one to copy. */
td.whole,td.whole code{overflow-wrap:normal;word-break:normal}
@media (max-width:30rem){table.fields th,table.fields td{padding:.4rem .2rem}}
.history li{margin-bottom:.75rem}
.word-diff del{color:var(--danger)}
.word-diff ins{color:var(--ok);text-decoration:underline}
.word-diff del+ins{margin-inline-start:.25em}
pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
pre{background:var(--card);padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.embed-code textarea{font-family:ui-monospace,monospace;font-size:.85rem;min-height:4.5rem}
.embed-options{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end;margin:0 0 .5rem}
/* Each choice as wide as its longest option, then growing into the row: at 10rem each, above a
   phone's width the German "Wie die Behauptung" was cut to "Wie die Behauptun" (800-1280 px). */
.embed-options .field{flex:1 1 auto}
.embed-options button{margin-bottom:1rem}
/* On a phone each choice takes the row under its label: side by side a German "Wie die Behauptung" was cut off */
@media (max-width:30rem){.embed-options .field{flex-basis:100%}}
.embed-preview{display:block;border:0;max-width:100%;margin:0 0 1rem}
/* the rating scale (/ratings) */
.scale{list-style:none;padding:0;margin:0}
.scale li{display:grid;grid-template-columns:12rem 1fr;gap:.25rem 1rem;padding:.75rem .5rem;border-bottom:1px solid var(--line);scroll-margin-top:1rem}
.scale li:target{background:var(--card);outline:2px solid var(--focus);outline-offset:-2px}
.scale h3{margin:0;font-size:1rem;line-height:1.55}
.scale p{margin:0 0 .35rem}
.chart{max-width:100%;height:auto}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:30rem){h1{font-size:1.35rem}main{padding:.75rem}.scale li{grid-template-columns:1fr}}
/* desk */
.field .hint{margin:0 0 .3rem}.field .error{margin:.3rem 0 0}
.desk-nav{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;flex:1 1 auto}
.desk-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.desk-nav .who{color:var(--muted);font-size:.92rem;margin-left:auto}
form.inline{display:inline}
form.narrow{max-width:32rem}
fieldset{border:1px solid var(--line);border-radius:.3rem;margin:0 0 1.25rem;padding:.75rem 1rem}
legend{font-weight:700;padding:0 .25rem}
fieldset.radios,fieldset.evidence-row{border:0;padding:0;margin:0 0 1rem}
fieldset.radios legend,fieldset.evidence-row legend{font-weight:600;padding:0}
.radio,.checkbox{display:flex;gap:.5rem;align-items:baseline;margin:.25rem 0}
.radio label,.checkbox label{font-weight:400;margin:0}
/* A hint goes under its box and label: beside them, it squeezed the label a letter a line ("Alte/n Nam/en"). */
.radio,.checkbox{flex-wrap:wrap}.radio label,.checkbox label{flex:1 1 0}.radio .hint,.checkbox .hint{flex-basis:100%;margin-top:0}
.required{font-weight:400;color:var(--muted);font-size:.9rem}
.status{display:inline-block;border:1px solid var(--line);border-radius:.25rem;padding:0 .4rem;font-size:.85rem;font-weight:600;background:var(--card)}
a.status{color:var(--fg);text-decoration:none}a.status:hover{text-decoration:underline}
.typeahead{position:relative}
.suggestions{list-style:none;margin:.35rem 0 1rem;padding:0;border:1px solid var(--line);border-radius:.3rem;background:var(--bg);max-height:16rem;overflow:auto}
.suggestions li{padding:.45rem .6rem;cursor:pointer}
.suggestions li[aria-selected=true],.suggestions li:hover{background:var(--card);outline:2px solid var(--focus);outline-offset:-2px}
.secret-value{width:100%;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:.25rem 0}
.secret label{font-weight:600}
button.danger{background:var(--button-danger)}
.tabs ul{list-style:none;margin:0 0 .5rem;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
.tabs a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}
.filters .field{flex:1 1 12rem}
.filters button{margin-bottom:1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
section.verdict{border:1px solid var(--line);border-radius:.3rem;padding:.5rem 1rem;margin:0 0 1rem}
section.verdict h3{font-size:1.1rem;margin:.5rem 0}
section.verdict-superseded,section.verdict-retracted{background:var(--card)}
section.verdict .actions{display:flex;flex-direction:column;gap:.75rem;margin:.5rem 0}.links{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0}
.verdict .body,.thread .body,.keep-lines{white-space:pre-wrap}
.label{font-weight:600;margin-bottom:0}
details{margin:0 0 1rem}
summary{cursor:pointer;color:var(--link);padding:.25rem 0}
dl.changed dt{font-weight:600}
dl.changed dd{margin:0 0 .5rem;white-space:pre-wrap}
code.url,.hash{word-break:break-all}
.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;display:block}
.archived-text{border-inline-start:4px solid var(--line);padding-block:0;padding-inline:1rem 0;margin:1rem 0}
mark{background:#fde68a;color:#1a1a1a;padding:0 .1em}
ul.attachments,ul.attachment-list{list-style:none;padding:0}
ul.attachments li,ul.attachment-list li{margin:0 0 1rem}
ul.attachments figure{margin:0}
ul.attachments img,img.thumb{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:.25rem}
img.thumb{max-height:12rem}
.claim-matches{margin:0 0 1rem}
.claim-matches h2{font-size:1.05rem;margin:.5rem 0}
.claim-matches ul{padding-left:1.2rem}
.claim-matches li{margin:0 0 .5rem}
@media (max-width:30rem){dl.facts{grid-template-columns:1fr}.desk-nav .who{margin-left:0}}
/* A desk table of long words stacks on a phone, each value under its column's name: side by side,
   its columns widened the page or, squeezed by overflow-wrap:anywhere, split "Pressemitteilu|ng". */
@media (max-width:30rem){table.stack thead{display:none}table.stack tr,table.stack th,table.stack td{display:block}table.stack th,table.stack td{border-bottom:0;padding:.2rem 0}table.stack tr{border-bottom:1px solid var(--line);padding:.4rem 0}td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}}
`;
