/**
 * The console's style sheet. DejaVu Sans is served by the ledger itself, so that the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү
 * Һ І) look the same on every machine. Colours keep a contrast of at least 4.5:1 (text) and 3:1 (focus ring, borders
 * of controls) against their background; focus is always visible.
 */
export const CONSOLE_CSS = `
@font-face { font-family: "DejaVu Sans"; src: url("/console/assets/fonts/DejaVuSans.ttf") format("truetype"); font-weight: 400; font-display: swap; }
@font-face { font-family: "DejaVu Sans"; src: url("/console/assets/fonts/DejaVuSans-Bold.ttf") format("truetype"); font-weight: 700; font-display: swap; }
:root { --ink: #1b1f24; --muted: #4a5360; --line: #c9d0d8; --paper: #ffffff; --band: #f2f5f8; --link: #0b4f9c; --accent: #0b4f9c;
  --bad: #a4161a; --bad-bg: #fdecec; --ok-bg: #e8f4ec; --focus: #b35c00; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 15px; line-height: 1.45; color: var(--ink); background: var(--paper); }
body { margin: 0; }
a { color: var(--link); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--paper); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
header.top { background: var(--band); border-bottom: 1px solid var(--line); }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem; padding: .6rem 1.25rem; }
.brand { font-weight: 700; text-decoration: none; color: var(--ink); margin-right: auto; }
.brand span { font-weight: 400; color: var(--muted); font-size: .9rem; margin-left: .4rem; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem .9rem; }
nav.sections { padding: 0 1.25rem .5rem; }
nav.sections a, nav.langs a { display: inline-block; padding: .3rem .1rem; text-decoration: none; }
nav a[aria-current] { font-weight: 700; color: var(--ink); border-bottom: 3px solid var(--accent); }
.sign-out { display: flex; align-items: center; gap: .6rem; margin: 0; }
.who { color: var(--muted); font-size: .9rem; }
main { padding: 1rem 1.25rem 2rem; max-width: 1240px; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; padding: .5rem 1.25rem; }
label { display: block; font-weight: 700; margin-bottom: .2rem; }
label.inline { display: inline; font-weight: 400; }
input, select, textarea, button { font: inherit; color: inherit; }
input[type=text], input[type=password], input[type=date], input[type=datetime-local], select, textarea {
  border: 1px solid #6b7480; border-radius: 4px; padding: .35rem .5rem; background: var(--paper); max-width: 100%; }
textarea { width: 100%; min-height: 4.5rem; }
select { width: 100%; max-width: 24rem; }
form.filters p { max-width: 24rem; }
button, .button { background: var(--accent); color: #fff; border: 1px solid var(--accent); border-radius: 4px; padding: .4rem .9rem; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: var(--paper); color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.sign-out button { padding: .25rem .7rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: flex-end; background: var(--band); padding: .8rem; border-radius: 6px; margin-bottom: 1rem; }
form.filters p { margin: 0; }
form.sign-in, form.stacked { max-width: 32rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: .6rem .9rem; }
legend { font-weight: 700; padding: 0 .3rem; }
.checks { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .2rem 1rem; max-height: 16rem; overflow: auto; }
.notice { background: var(--ok-bg); border-left: 4px solid #1e6b3a; padding: .5rem .8rem; }
.error { background: var(--bad-bg); border-left: 4px solid var(--bad); padding: .5rem .8rem; }
.field-error { color: var(--bad); font-weight: 700; margin: .2rem 0 0; }
.reference, .muted { color: var(--muted); font-size: .9rem; }
.table-wrap { overflow-x: auto; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
/* Each table follows a heading that says the same: its caption is for screen readers only. */
caption, .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: var(--bad); font-weight: 700; }
code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem .8rem; }
.card h2 { margin-top: .8rem; }
meter { width: 8rem; height: 1rem; vertical-align: middle; }
.chart { min-height: 320px; }
.tabs { display: flex; flex-wrap: wrap; gap: .5rem 1rem; border-bottom: 1px solid var(--line); margin-bottom: 1rem; padding: 0; list-style: none; }
.tabs a { display: inline-block; padding: .4rem .2rem; text-decoration: none; }
.tabs a[aria-current] { font-weight: 700; color: var(--ink); border-bottom: 3px solid var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.actions form { margin: .3rem 0; }
details { margin: .5rem 0; }
summary { cursor: pointer; color: var(--link); }
@media (max-width: 640px) {
  html { font-size: 14px; }
  .bar, nav.sections, main { padding-left: .75rem; padding-right: .75rem; }
  .brand span { display: none; }
  form.filters { flex-direction: column; align-items: stretch; }
  dl.facts { grid-template-columns: 1fr; }
}
`;
